package tag

import (
	"unicode"
	"unicode/utf8"
)

// Token flags.
const (
	tDollar  uint8 = 1 << iota // written with a '$' right before it: "$NEAR", "$4.5M"
	tUpper                     // has a letter and no lower-case letter: "NEAR", "BTC", "L2"
	tTitle                     // starts with an upper-case letter: "Near", "NEAR"
	tDigit                     // starts with a digit: "4.5M", "2026"
	tBreak                     // punctuation (or a new segment) before it: phrases do not span it
	tCoinEnd                   // the last word of a coin match (set while matching, for "XRP treasury")
)

// Segments a token can come from. Titles weigh more than summaries, and
// categories are labels: they feed topics and relevance but never coins.
const (
	segTitle uint8 = iota
	segSummary
	segCategory
)

// token is one word of the item's text. Its lower-case form is
// lower[lo:hi] of the tokenizer's buffer, and as written it is
// src[seg][os:oe] (titles and summaries only). It holds no pointers, so
// the token slice costs the garbage collector nothing.
type token struct {
	lo, hi int32
	os, oe int32
	ent    int32 // index+1 of the table entries that may start here; 0 for most words
	flags  uint8
	seg    uint8
	sep    byte // the last ASCII punctuation byte before it ('/', '-', '(', …), 0 for none
}

// tokenizer splits text into tokens; it is reused for the title, the summary
// and each category of one item.
type tokenizer struct {
	toks  []token
	lower []byte
	src   [2]string // the title and the summary
	// caps[seg] reports an all-caps title or summary, where upper case no
	// longer tells a ticker from a word.
	caps [2]bool
}

// orig returns a title or summary token as written.
func (z *tokenizer) orig(tk *token) string { return z.src[tk.seg][tk.os:tk.oe] }

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// add tokenizes s as segment seg. Words are runs of letters and digits;
// "4.5" and "1,000" stay one number; a trailing "'s" (possessive) is
// dropped; HTML tags and character entities are skipped, in case a summary
// arrives unstripped.
func (z *tokenizer) add(s string, seg uint8) {
	if seg < segCategory {
		z.src[seg] = s
	}
	brk := true
	var sep byte
	dollar := false
	nUpper, nLower := 0, 0
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf && !isASCIIAlnum(c) {
			switch c {
			case ' ', '\t', '\n', '\r':
				dollar = false
			case '$':
				dollar = true
				sep = c
			case '<':
				if j := skipTag(s, i); j > i {
					i = j
					brk, dollar = true, false
					continue
				}
				brk, sep, dollar = true, c, false
			case '&':
				if j := skipEntity(s, i); j > i {
					i = j
					continue
				}
				// "S&P" and "AT&T" hold together; "Bitcoin & Gold" does not
				// make the coin Bitcoin Gold.
				if i == 0 || i+1 >= len(s) || !isASCIIAlnum(s[i-1]) || !isASCIIAlnum(s[i+1]) {
					brk = true
				}
				sep, dollar = c, false
			case ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '|', '.':
				brk, sep, dollar = true, c, false
			default:
				sep, dollar = c, false
			}
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				switch r {
				case '’', '‘', '“', '”', '«', '»', '„':
					// quotes: not a phrase break
				case '€', '£', '¥':
					dollar = true
					i += size
					continue
				default:
					// dashes, bullets and the like
					brk = true
				}
				dollar = false
				i += size
				continue
			}
		}
		// A word starts at i.
		start := i
		lo := int32(len(z.lower))
		var flags uint8
		if brk {
			flags |= tBreak
		}
		if dollar {
			flags |= tDollar
		}
		hasUpper, hasLower, first := false, false, true
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				switch {
				case c >= 'a' && c <= 'z':
					// Most of a text is runs of lower-case ASCII: copy
					// each run at once.
					j := i + 1
					for j < len(s) && s[j]-'a' < 26 {
						j++
					}
					hasLower = true
					z.lower = append(z.lower, s[i:j]...)
					i = j
					first = false
					continue
				case c >= 'A' && c <= 'Z':
					hasUpper = true
					if first {
						flags |= tTitle
					}
					z.lower = append(z.lower, c+'a'-'A')
				case c >= '0' && c <= '9':
					if first {
						flags |= tDigit
					}
					z.lower = append(z.lower, c)
				case (c == '.' || c == ',') && i > start && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]):
					z.lower = append(z.lower, c)
				default:
					goto done
				}
				i++
				first = false
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case unicode.IsUpper(r):
				hasUpper = true
				if first {
					flags |= tTitle
				}
				z.lower = utf8.AppendRune(z.lower, unicode.ToLower(r))
			case unicode.IsLetter(r):
				if unicode.IsLower(r) {
					hasLower = true
				}
				z.lower = utf8.AppendRune(z.lower, r)
			case unicode.IsDigit(r):
				z.lower = utf8.AppendRune(z.lower, r)
			default:
				goto done
			}
			i += size
			first = false
		}
	done:
		if hasUpper && !hasLower {
			flags |= tUpper
		}
		if hasUpper {
			nUpper++
		}
		if hasLower {
			nLower++
		}
		z.toks = append(z.toks, token{os: int32(start), oe: int32(i), lo: lo, hi: int32(len(z.lower)), flags: flags, seg: seg, sep: sep})
		brk, sep, dollar = false, 0, false
		// Possessive "'s" / "’s": drop it so "Bitcoin's" reads as "Bitcoin".
		if j := skipPossessive(s, i); j > i {
			i = j
		}
	}
	if seg < segCategory {
		// All caps: at least four words with capitals and almost none
		// with lower case ("BITCOIN HITS NEW HIGH", but not "8-K - ACME LLC (Filer)"
		// nor a normal headline with a couple of acronyms).
		z.caps[seg] = nUpper >= 4 && nLower*10 <= nUpper
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipPossessive returns the index after "'s" or "’s" at s[i:] when it ends
// a word, or i.
func skipPossessive(s string, i int) int {
	var n int
	switch {
	case i+1 < len(s) && s[i] == '\'':
		n = 1
	case i+3 < len(s) && s[i] == 0xe2 && s[i+1] == 0x80 && s[i+2] == 0x99: // ’
		n = 3
	default:
		return i
	}
	j := i + n
	if j >= len(s) || (s[j] != 's' && s[j] != 'S') {
		return i
	}
	j++
	if j < len(s) && isASCIIAlnum(s[j]) {
		return i
	}
	return j
}

// skipTag returns the index after an HTML tag starting at s[i] == '<', or i
// when it does not look like one ("a < b").
func skipTag(s string, i int) int {
	if i+1 >= len(s) {
		return i
	}
	c := s[i+1]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!') {
		return i
	}
	const maxTag = 2048
	for j := i + 2; j < len(s) && j < i+maxTag; j++ {
		if s[j] == '>' {
			return j + 1
		}
	}
	return i
}

// skipEntity returns the index after "&name;" or "&#123;" at s[i], or i.
func skipEntity(s string, i int) int {
	const maxEntity = 10
	for j := i + 1; j < len(s) && j <= i+maxEntity; j++ {
		c := s[j]
		if c == ';' {
			if j == i+1 {
				return i
			}
			return j + 1
		}
		if !isASCIIAlnum(c) && c != '#' {
			return i
		}
	}
	return i
}
