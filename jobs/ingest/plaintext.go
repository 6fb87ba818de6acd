package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ellipsis marks a cut. It counts as one rune towards maxRunes.
const ellipsis = "…"

// PlainText strips HTML to text: tags are removed, the content of
// <script>, <style> and the other raw-text elements that never hold
// readable text is dropped, and block-level tags become a space. Character
// references are decoded exactly once, so a double-escaped "&amp;quot;"
// becomes the literal "&quot;". All whitespace (including NBSP and
// zero-width spaces) collapses to single spaces, control and bidi-override
// characters are dropped, invalid UTF-8 becomes U+FFFD, and the result is
// trimmed.
//
// When the text is longer than maxRunes runes it is cut on a rune boundary
// and "…" is appended, the whole staying within maxRunes. maxRunes <= 0
// means no limit. Work stops as soon as the cap is reached, so a huge input
// costs little more than its markup prefix.
func PlainText(s string, maxRunes int) string {
	w := textWriter{max: maxRunes}
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		// Most titles are plain already: skip the tokenizer.
		w.writeString(s)
		return w.String()
	}
	z := html.NewTokenizer(strings.NewReader(s))
	// After a start tag of a raw-text element (script, style, …) the
	// tokenizer returns that element's whole content as the next text
	// token; dropNext discards it.
	dropNext := false
	for !w.full {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or the input ended inside a tag: either way we are done.
			return w.String()
		case html.TextToken:
			if dropNext {
				dropNext = false
				continue
			}
			w.write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			dropNext = false
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if tt != html.EndTagToken && dropsContent(a) {
				dropNext = true
			}
			if !isInline(a) {
				w.space()
			}
		default:
			// Comments and doctypes carry no text.
			dropNext = false
		}
	}
	return w.String()
}

// dropsContent reports the raw-text elements whose content is code, styling
// or fallback markup rather than readable text. (title and textarea are
// raw-text too, but hold text.)
func dropsContent(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Noembed,
		atom.Noframes, atom.Xmp, atom.Plaintext:
		return true
	}
	return false
}

// isInline reports the phrasing elements that sit inside a run of text, so
// "bit<b>coin</b>" stays one word. Every other tag, known or not, separates
// words: a stray space is harmless, two words glued together are not.
func isInline(a atom.Atom) bool {
	switch a {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Cite, atom.Code,
		atom.Data, atom.Del, atom.Dfn, atom.Em, atom.Font, atom.I, atom.Ins,
		atom.Kbd, atom.Mark, atom.Q, atom.S, atom.Samp, atom.Small, atom.Span,
		atom.Strike, atom.Strong, atom.Sub, atom.Sup, atom.Time, atom.Tt,
		atom.U, atom.Var, atom.Wbr:
		return true
	}
	return false
}

// textWriter accumulates collapsed text up to a rune cap.
type textWriter struct {
	buf          []byte
	max          int  // rune cap, <= 0 for none
	runes        int  // runes in buf
	cut          int  // len(buf) when it held max-1 runes: where a cut goes
	pendingSpace bool // whitespace seen since the last rune
	full         bool // a rune beyond max arrived: output is cut
}

func (w *textWriter) write(b []byte)       { writeText(w, b) }
func (w *textWriter) writeString(s string) { writeText(w, s) }

// writeText is generic so that the tokenizer's []byte and a plain string
// share one loop without a copy of either.
func writeText[T string | []byte](w *textWriter, s T) {
	for i := 0; i < len(s) && !w.full; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				w.pendingSpace = true
			case c < 0x20 || c == 0x7f:
				// Control characters carry no text.
			default:
				w.put(rune(c), 1)
			}
			continue
		}
		// At most 4 bytes: the conversion stays on the stack.
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			w.put(utf8.RuneError, 3)
		case isSpace(r):
			w.pendingSpace = true
		case isInvisible(r):
		default:
			w.put(r, size)
		}
	}
}

// space records a word break (used for block-level tags).
func (w *textWriter) space() { w.pendingSpace = true }

// put appends a non-space rune of the given UTF-8 size, preceded by a single
// space if whitespace was seen since the last rune. Leading whitespace is
// dropped; trailing whitespace is never written.
func (w *textWriter) put(r rune, size int) {
	if w.pendingSpace {
		w.pendingSpace = false
		if w.runes > 0 && !w.add(' ', 1) {
			return
		}
	}
	w.add(r, size)
}

func (w *textWriter) add(r rune, size int) bool {
	if w.max > 0 {
		if w.runes == w.max {
			w.full = true
			return false
		}
		if w.runes == w.max-1 {
			w.cut = len(w.buf)
		}
	}
	if size == 1 {
		w.buf = append(w.buf, byte(r))
	} else {
		w.buf = utf8.AppendRune(w.buf, r)
	}
	w.runes++
	return true
}

func (w *textWriter) String() string {
	if !w.full {
		return string(w.buf)
	}
	b := w.buf[:w.cut]
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b) + ellipsis
}

// isSpace is unicode.IsSpace (which covers NBSP and the other Zs spaces)
// plus the zero-width characters that separate or pad words without
// showing: zero-width space, word joiner, BOM / zero-width no-break space
// and the Mongolian vowel separator.
func isSpace(r rune) bool {
	switch r {
	case 0x200B, 0x2060, 0xFEFF, 0x180E:
		return true
	}
	return unicode.IsSpace(r)
}

// isInvisible reports characters dropped outright: C1 controls, the soft
// hyphen, and the bidi marks, embeddings and overrides that can make a
// headline display differently from what it says ("Trojan Source").
// Zero-width (non-)joiners are kept: emoji sequences and several scripts
// need them.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xA0, r == 0xAD:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
