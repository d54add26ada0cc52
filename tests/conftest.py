"""Shared fixtures: the ../shared material, and a folder of files no reader should accept."""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
import pytest

from scrutiny.extract.model import Document
from scrutiny.extract.read import read

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_PDF = "002_5b351067a8cd401d.pdf"

# Padding string of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared corpus folder beside the checkout; tests using it skip when it is absent."""
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (expected ../shared beside the repo)")
    return SHARED


@pytest.fixture(scope="session")
def seed_document(shared: Path) -> Callable[[str, str], Document]:
    """Read a seed paper once per session: ``seed_document("002_5b351067a8cd401d", ".pdf")``."""
    @cache
    def get(stem: str, suffix: str) -> Document:
        return read(shared / "corpus" / "seeds" / f"{stem}{suffix}")
    return get


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4, as the standard security handler uses it."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + PAD)[:32]


def make_pdf(pages: list[bytes], user_password: str | None = None, owner_password: str = "owner") -> bytes:
    """A PDF whose pages draw the given content streams with /F1 Helvetica and /F2 Helvetica-Bold.

    With a ``user_password`` (possibly empty) it is encrypted with RC4 40-bit (V 1, R 2):
    O, U and the file key follow algorithms 2, 3 and 4 of ISO 32000-1, 7.6.3, and each
    content stream is encrypted with its object key.
    """
    first_page = 5
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    file_id = hashlib.md5(b"scrutiny test").digest()
    key = None
    trailer_extra = b""
    if user_password is not None:
        permissions = -4
        owner_entry = rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
        key = hashlib.md5(_padded(user_password) + owner_entry + struct.pack("<i", permissions)
                          + file_id).digest()[:5]
        encrypt_number = first_page + 2 * count
        trailer_extra = b" /Encrypt %d 0 R" % encrypt_number
    for i, content in enumerate(pages):
        page_number, stream_number = first_page + 2 * i, first_page + 2 * i + 1
        if key is not None:
            object_key = hashlib.md5(key + stream_number.to_bytes(3, "little") + b"\0\0").digest()[:10]
            content = rc4(object_key, content)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % stream_number)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    if key is not None:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                       % (owner_entry.hex().encode(), rc4(key, PAD).hex().encode(), permissions))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, trailer_extra, file_id.hex().encode(), file_id.hex().encode(), xref))
    return bytes(out)


def text_stream(lines: list[tuple[float, float, str]], bold: bool = False, size: float = 11) -> bytes:
    """A content stream writing each (x, y-from-top, text) at ``size`` points."""
    font = b"/F2" if bold else b"/F1"
    parts = [b"BT %s %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET" % (font, size, x, 842 - y, _escape(text))
             for x, y, text in lines]
    return b"\n".join(parts)


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def image_only_pdf(source: Path, target: Path) -> None:
    """A page the size of ``source``'s first, holding only a blank picture: no text layer, and
    nothing for OCR to read either (a scan with text is read by OCR: tests/test_ocr.py)."""
    original = pdfium.PdfDocument(source)
    width, height = original[0].get_size()
    bitmap = pdfium.PdfBitmap.new_native(round(width), round(height), pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, round(width), round(height))
    scanned = pdfium.PdfDocument.new()
    page = scanned.new_page(width, height)
    image = pdfium.PdfImage.new(scanned)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    scanned.save(target)
    original.close()
    scanned.close()


@dataclass
class BadInputs:
    """Files that must each raise ReadError, keyed by the reason they should give."""
    empty: Path
    truncated: Path
    text_named_pdf: Path
    encrypted: Path
    image_only: Path
    empty_password: Path  # encrypted, but readable: the user password is empty

    def expected(self) -> dict[Path, str]:
        return {self.empty: "empty file", self.truncated: "corrupt PDF", self.text_named_pdf: "not a PDF",
                self.encrypted: "encrypted", self.image_only: "no text layer"}


@pytest.fixture(scope="session")
def bad_inputs(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> BadInputs:
    folder = tmp_path_factory.mktemp("bad_inputs")
    seed = (shared / "corpus" / "seeds" / SEED_PDF).read_bytes()
    files = BadInputs(*(folder / name for name in (
        "empty.pdf", "truncated.pdf", "notes.pdf", "locked.pdf", "scanned.pdf", "open.pdf")))
    files.empty.write_bytes(b"")
    files.truncated.write_bytes(seed[: len(seed) // 2])
    files.text_named_pdf.write_text("Minutes of the meeting\nNothing to see here.\n", encoding="utf-8")
    page = text_stream([(72, 100, "Encrypted caseload 18.4")])
    files.encrypted.write_bytes(make_pdf([page], user_password="secret"))
    files.empty_password.write_bytes(make_pdf([page], user_password=""))
    image_only_pdf(shared / "corpus" / "seeds" / SEED_PDF, files.image_only)
    return files
