package ingest

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
)

// declScanLimit bounds how far into the document the XML declaration is
// looked for: it must come first, and real ones are well under 100 bytes.
const declScanLimit = 512

// toUTF8 returns the document as valid UTF-8 that encoding/xml (under
// gofeed) accepts without a CharsetReader:
//
//   - a UTF-8 BOM is dropped and a UTF-16 BOM decodes the document;
//   - an encoding declared in the XML declaration (ISO-8859-1,
//     windows-1252, Shift_JIS, …, by its WHATWG label) is transcoded, and
//     the declaration is rewritten to say UTF-8 so nothing decodes twice;
//   - invalid UTF-8, and the two noncharacters U+FFFE/U+FFFF that XML
//     forbids, become U+FFFD, so one bad byte costs one character instead
//     of the whole feed.
//
// Documents without a declaration (JSON Feed, or XML relying on the HTTP
// header) are taken as UTF-8, as the XML and JSON Feed specs say. The input
// is never modified; it is returned as is when it is already fine, which is
// the common case and costs one scan.
func toUTF8(body []byte) []byte {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		body = body[3:]
	case bytes.HasPrefix(body, []byte("\xfe\xff")), bytes.HasPrefix(body, []byte("\xff\xfe")):
		// The BOM tells the byte order; UTF-16 with BOM is the one
		// non-ASCII-compatible encoding XML parsers must support.
		if dec, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body); err == nil {
			body = dec
		}
	}

	if label, start, end, after, ok := declaredEncoding(body); ok && !isUTF8Label(label) {
		out := make([]byte, 0, len(body)+len(body)/8+8)
		out = append(out, body[:start]...)
		out = append(out, "UTF-8"...)
		out = append(out, body[end:after]...)
		rest := body[after:]
		// Labels that name a UTF-16/32 encoding were either handled by the
		// BOM above or cannot have produced an ASCII declaration: the
		// bytes are UTF-8 already. Unknown labels are treated as UTF-8
		// too, with bad bytes replaced below, rather than failing. And a
		// body that declares a legacy charset but is valid UTF-8 with
		// non-ASCII text in it was re-encoded without fixing the
		// declaration (a common CMS mistake): legacy-encoded text is
		// practically never valid UTF-8 by accident, so it stays UTF-8.
		if enc, name := charset.Lookup(label); enc != nil && !strings.HasPrefix(name, "utf-") && !isNonASCIIUTF8(rest) {
			if dec, err := enc.NewDecoder().Bytes(rest); err == nil {
				rest = dec
			}
		}
		body = append(out, rest...)
	}
	return validUTF8(body)
}

// declaredEncoding finds the encoding pseudo-attribute of a leading XML
// declaration (<?xml version="1.0" encoding="ISO-8859-1"?>; spaces around
// "=" and single quotes are allowed). It returns the label and its byte
// range inside the quotes, and the offset just past the closing "?>".
func declaredEncoding(b []byte) (label string, start, end, after int, ok bool) {
	head := b[:min(len(b), declScanLimit)]
	i := 0
	for i < len(head) && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n') {
		i++
	}
	if !bytes.HasPrefix(head[i:], []byte("<?xml")) {
		return "", 0, 0, 0, false
	}
	close := bytes.Index(head[i:], []byte("?>"))
	if close < 0 {
		return "", 0, 0, 0, false
	}
	decl := head[:i+close]
	k := bytes.Index(decl, []byte("encoding"))
	if k < 0 {
		return "", 0, 0, 0, false
	}
	j := k + len("encoding")
	for j < len(decl) && isXMLSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || decl[j] != '=' {
		return "", 0, 0, 0, false
	}
	j++
	for j < len(decl) && isXMLSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return "", 0, 0, 0, false
	}
	quote := decl[j]
	start = j + 1
	q := bytes.IndexByte(decl[start:], quote)
	if q < 0 {
		return "", 0, 0, 0, false
	}
	end = start + q
	label = strings.ToLower(strings.TrimSpace(string(decl[start:end])))
	return label, start, end, len(decl) + len("?>"), true
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isUTF8Label(label string) bool {
	switch label {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii":
		return true
	}
	return false
}

// validUTF8 returns b unchanged when it is valid UTF-8 free of U+FFFE and
// U+FFFF, else a copy with every offending sequence replaced by U+FFFD.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) && !hasNoncharacter(b) {
		// The common case, at memory speed.
		return b
	}
	bad := firstInvalid(b)
	if bad < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:bad]...)
	for i := bad; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// firstInvalid returns the offset of the first byte validUTF8 must replace,
// or -1.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			return i
		}
		i += size
	}
	return -1
}

// hasNoncharacter reports whether b (valid UTF-8) contains U+FFFE or
// U+FFFF, encoded as EF BF BE / EF BF BF.
func hasNoncharacter(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("\xef\xbf"))
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if b[i+2] == 0xbe || b[i+2] == 0xbf {
			return true
		}
		b = b[i+2:]
	}
}

// isNonASCIIUTF8 reports whether b is valid UTF-8 and not plain ASCII.
func isNonASCIIUTF8(b []byte) bool {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.Valid(b[i:])
		}
	}
	return false
}
