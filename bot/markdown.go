package bot

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Feed text (headlines, outlet names, feed errors) and what people type
// (keywords) are untrusted: a headline must not bold half a message, hide
// a link behind innocent words, open a heading or a quote, or ping. Every
// piece of it goes through escapeText before it is put into a reply, and
// URLs through safeURL. allowed_mentions.parse = [] already stops pings;
// neutralizing mention syntax in the text as well keeps "@everyone" from
// even looking like a mention, in the shell and in any copy of the text.

// zwsp (zero-width space) breaks mention syntax without changing what a
// reader sees.
const zwsp = "\u200b"

// escapeText makes untrusted text inert in Discord markdown, on one line:
// whitespace runs (newlines included) become one space; control and
// bidirectional-override characters go; markdown punctuation and the
// backslash are escaped; "@" and "<" get a zero-width space after them,
// so "@everyone", "<@123>", "<@&123>" and "<#1>" render as plain text; and
// a leading "-" ("- item", "-# subtext") is escaped.
func escapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || isBidiControl(r) || r == '\u200b' || r == '\ufeff':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		switch r {
		case '\\', '*', '_', '~', '`', '|', '>', '#', '[', ']', '(', ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '-':
			if b.Len() == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '@', '<':
			b.WriteRune(r)
			b.WriteString(zwsp)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidiControl reports the explicit direction marks and overrides that
// can make text read differently from what it is.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// maxURLRunes bounds a URL put into a masked link or an embed: longer
// ones are not shown as links (Discord's own cap is 2048).
const maxURLRunes = 512

// safeURL returns an http(s) URL fit to be a link target, or "" when raw
// is not one. Characters that would end a masked link early, "(" and ")",
// and anything outside printable ASCII are percent-encoded.
func safeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURLRunes*3 {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	s := u.String()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '(' || c == ')' || c == '<' || c == '>' || c == '"' || c == '\\' || c == '`' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > maxURLRunes {
		return ""
	}
	return b.String()
}

// linkLine renders prefix + text (linked to rawURL when it is a usable
// URL) + suffix within budget characters: the text is cut shorter and
// shorter, and the link dropped only when even a short text with it does
// not fit. text is raw (it is escaped here); prefix and suffix are
// already markdown.
func linkLine(prefix, text, rawURL, suffix string, budget int) string {
	u := safeURL(rawURL)
	fixed := runeLen(prefix) + runeLen(suffix)
	for _, n := range []int{300, 200, 140, 100, 70, 50, 30} {
		t := escapeText(clip(text, n))
		line := prefix + t + suffix
		if u != "" {
			line = prefix + "[" + t + "](" + u + ")" + suffix
		}
		if runeLen(line) <= budget {
			return line
		}
		if u == "" && fixed+runeLen(t) <= budget {
			return line
		}
	}
	return clip(prefix+escapeText(clip(text, 30))+suffix, budget)
}

// discordTime is Discord's timestamp markup, shown in each reader's own
// time zone; style "R" is relative ("3 hours ago"), "f" date and time,
// "D" the date.
func discordTime(t time.Time, style string) string {
	return fmt.Sprintf("<t:%d:%s>", t.Unix(), style)
}

// plural says "1 outlet", "8 outlets", "2 stories".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ry") {
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
