"""SdI receipts as an intermediary hands them over: the layout of ``MessaggiTypes_v1.1.xsd``
(root in SdI's namespace, unqualified children, SdI's XAdES signature at the end), with the
values of real ones (a 00404 and 00423 rejection, a delivery to an SDI code, a not-delivered)."""

from __future__ import annotations

NS = "http://www.fatturapa.gov.it/sdi/messaggi/v1.0"
SIGNATURE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="Signature1"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
    "<ds:DigestValue>k2p1yW8sK3Rz0bq4Jm5qZ1h3o9fXc1mVw0XyYz6bQkE=</ds:DigestValue></ds:Reference>"
    "</ds:SignedInfo><ds:SignatureValue>SGVsbG8gU2RJ</ds:SignatureValue></ds:Signature>"
)


def _message(root: str, body: str, prefix: str = "ns3") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="{root}_v1.1.xsl"?>\n'
        f'<{prefix}:{root} xmlns:{prefix}="{NS}" versione="1.0">{body}'
        f"<MessageId>1234567890</MessageId>{SIGNATURE}</{prefix}:{root}>"
    ).encode()


def delivered(name: str, identifier: str) -> bytes:
    return _message(
        "RicevutaConsegna",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        "<DataOraRicezione>2026-12-01T10:12:03.000+01:00</DataOraRicezione>"
        "<DataOraConsegna>2026-12-01T10:14:41.000+01:00</DataOraConsegna>"
        "<Destinatario><Codice>ABC1234</Codice><Descrizione>Bottega Rossi S.r.l.</Descrizione></Destinatario>",
    )


def rejected(name: str, identifier: str) -> bytes:
    return _message(
        "NotificaScarto",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        "<DataOraRicezione>2026-12-01T10:12:03.000+01:00</DataOraRicezione>"
        "<ListaErrori><Errore><Codice>00404</Codice><Descrizione>Fattura duplicata</Descrizione>"
        "<Suggerimento>Verificare che la fattura non sia già stata trasmessa</Suggerimento></Errore>"
        "<Errore><Codice>00423</Codice><Descrizione>2.2.1.11 &lt;PrezzoTotale&gt; non calcolato "
        "secondo le regole definite nelle specifiche tecniche</Descrizione></Errore></ListaErrori>",
        prefix="ns2",
    )


def not_delivered(name: str, identifier: str) -> bytes:
    return _message(
        "NotificaMancataConsegna",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        "<DataOraRicezione>2027-01-10T09:00:00.000+01:00</DataOraRicezione>"
        "<Descrizione>La fattura è a disposizione del cessionario/committente nella sua area riservata"
        "</Descrizione>",
    )


def outcome(name: str, identifier: str, esito: str) -> bytes:
    return _message(
        "NotificaEsito",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        f'<EsitoCommittente versione="1.0"><IdentificativoSdI>{identifier}</IdentificativoSdI>'
        f"<RiferimentoFattura><NumeroFattura>2026-0001</NumeroFattura><AnnoFattura>2026</AnnoFattura>"
        f"</RiferimentoFattura><Esito>{esito}</Esito><Descrizione>Importo errato</Descrizione>"
        "</EsitoCommittente>",
    )


def terms_expired(name: str, identifier: str) -> bytes:
    return _message(
        "NotificaDecorrenzaTermini",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        "<Descrizione>Decorsi i termini per l'esito del committente</Descrizione>",
    )


def attested(name: str, identifier: str) -> bytes:
    return _message(
        "AttestazioneTrasmissioneFattura",
        f"<IdentificativoSdI>{identifier}</IdentificativoSdI><NomeFile>{name}</NomeFile>"
        "<DataOraRicezione>2026-12-01T10:12:03.000+01:00</DataOraRicezione>"
        "<Destinatario><Codice>UFXYZ1</Codice><Descrizione>Comune di Torino</Descrizione></Destinatario>"
        "<HashFileOriginale>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</HashFileOriginale>",
    )
