"""`make bench`: each figure of the service measured beside its baseline, in the same run."""
