"""pyHanko's judgement of every signature in a PDF, as JSON (one object per signature).

Used by tests/signatures.rs as a validator no one here wrote. For each signature: pyHanko's
bottom line, whether it is intact, valid and trusted, what it covers and how the document
was modified after it, the time-stamp's validity, and the PAdES level pyHanko's own
validation reaches: B-LT when, time-stamped, it validates with revocation checking that
must succeed and no fetching (only the validation data in the file's DSS), B-T when the
signature time-stamp is valid, else B-B.

usage: pades.py FILE.pdf ROOT.pem [--fetch]
  --fetch: check revocation online (the OCSP responder the certificates name), hard-fail.
"""

import json
import sys
import warnings

warnings.filterwarnings("ignore")

from pyhanko.keys import load_cert_from_pemder  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.validation import (  # noqa: E402
    DocumentSecurityStore,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext  # noqa: E402


def main():
    path, root_path = sys.argv[1], sys.argv[2]
    fetch = "--fetch" in sys.argv[3:]
    root = load_cert_from_pemder(root_path)
    out = []
    with open(path, "rb") as f:
        reader = PdfFileReader(f)
        for emb in reader.embedded_signatures:
            vc = ValidationContext(
                trust_roots=[root],
                allow_fetching=fetch,
                revocation_mode="hard-fail" if fetch else "soft-fail",
            )
            entry = {"field": emb.field_name}
            try:
                st = validate_pdf_signature(emb, vc)
                entry.update(
                    bottom_line=bool(st.bottom_line),
                    intact=bool(st.intact),
                    valid=bool(st.valid),
                    trusted=bool(st.trusted),
                    revoked=bool(getattr(st, "revoked", False)),
                    coverage=st.coverage.name if st.coverage else None,
                    modification_level=(
                        st.modification_level.name if st.modification_level else None
                    ),
                    timestamp=bool(
                        st.timestamp_validity is not None
                        and st.timestamp_validity.valid
                        and st.timestamp_validity.intact
                    ),
                    summary=st.summary(),
                )
            except Exception as e:  # a signature pyHanko cannot even read
                entry.update(bottom_line=False, error=f"{type(e).__name__}: {e}")
                out.append(entry)
                continue
            level = "B-T" if entry["timestamp"] else "B-B"
            if entry["timestamp"]:
                try:
                    dss = DocumentSecurityStore.read_dss(reader)
                    lt_vc = dss.as_validation_context(
                        {
                            "trust_roots": [root],
                            "allow_fetching": False,
                            "revocation_mode": "hard-fail",
                        }
                    )
                    lt = validate_pdf_signature(emb, lt_vc)
                    if lt.bottom_line:
                        level = "B-LT"
                    else:
                        entry["lt_error"] = lt.summary()
                except Exception as e:  # no DSS
                    entry["lt_error"] = f"{type(e).__name__}: {e}"
            entry["level"] = level
            out.append(entry)
    json.dump(out, sys.stdout, indent=1)


main()
