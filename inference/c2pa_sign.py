"""Optional C2PA manifest: ``c2pa.created`` by a trained algorithm, with the lineage as an assertion.

Signing needs a certificate chain (leaf + CA, PEM) and the leaf's private key. A user may supply
their own; otherwise a local CA and an ES256 leaf are generated once (``local_credentials``), fully
offline, without a timestamp authority. C2PA rejects a self-signed leaf, hence the two-cert chain.
Sign last: the tEXt chunks are written first and the signed bytes are never re-encoded.

Examples
--------
>>> manifest = build_manifest({"model": "anima"}, software="lineage 0.1.0")
>>> manifest["assertions"][0]["data"]["actions"][0]["action"]
'c2pa.created'
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from inference.errors import InferenceError

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


@dataclass(frozen=True)
class Credentials:
    """PEM certificate chain (leaf first) and PEM private key."""

    chain_pem: bytes
    key_pem: bytes


def default_credentials_dir() -> Path:
    """``$LINEAGE_CACHE_DIR/c2pa`` or ``~/.config/lineage/c2pa``."""
    base = os.environ.get("LINEAGE_CACHE_DIR")
    return Path(base) / "c2pa" if base else Path.home() / ".config" / "lineage" / "c2pa"


def local_credentials(folder: Path | None = None) -> Credentials:
    """Load, or create once, a local CA -> leaf chain (EC P-256) for signing on this machine."""
    folder = folder or default_credentials_dir()
    chain, key = folder / "chain.pem", folder / "leaf.key"
    if chain.is_file() and key.is_file():
        return Credentials(chain.read_bytes(), key.read_bytes())
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lineage local C2PA CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lineage (local)")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lineage local signer"),
                                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lineage (local)")]))
        .issuer_name(ca_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    key_bytes = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key.write_bytes(key_bytes)
    key.chmod(0o600)
    return Credentials(chain.read_bytes(), key_bytes)


def load_credentials(cert: Path, key: Path) -> Credentials:
    """User-supplied PEM chain (leaf first, then its CA) and private key."""
    for p in (cert, key):
        if not Path(p).is_file():
            raise InferenceError("C2PA credential file not found", path=p,
                                 hint="pass a PEM chain (leaf + CA) and its key, or omit them to use a local CA")
    return Credentials(Path(cert).read_bytes(), Path(key).read_bytes())


def build_manifest(lineage: dict, software: str, title: str = "image.png") -> dict:
    """The manifest definition: one ``c2pa.created`` action and a ``lineage`` assertion."""
    return {
        "claim_generator_info": [{"name": "lineage", "version": software.split()[-1]}],
        "title": title,
        "format": "image/png",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {"actions": [{
                    "action": "c2pa.created",
                    "digitalSourceType": TRAINED,
                    "softwareAgent": {"name": software},
                }]},
            },
            {"label": "org.lineage.trace", "data": lineage},
        ],
    }


def sign_png(png: bytes, lineage: dict, credentials: Credentials, software: str, title: str) -> bytes:
    """Return the signed PNG bytes (the input's text chunks are kept)."""
    import c2pa

    try:
        builder = c2pa.Builder(json.dumps(build_manifest(lineage, software, title)))
        signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, credentials.chain_pem, credentials.key_pem, None)
        )
        src, dst = io.BytesIO(png), io.BytesIO()
        builder.sign(signer, "image/png", src, dst)
        return dst.getvalue()
    except c2pa.C2paError as exc:
        raise InferenceError(f"C2PA signing failed: {exc}",
                             hint="the certificate must be a leaf signed by a CA (not self-signed), ES256") from None


def read_manifest(png: bytes) -> dict:
    """The C2PA store of a PNG as a dict (raises ``c2pa.C2paError`` when there is none)."""
    import c2pa

    return json.loads(c2pa.Reader("image/png", io.BytesIO(png)).json())
