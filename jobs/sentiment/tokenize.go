package sentiment

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Token kinds. Numbers are folded into a few classes so that "8%" and "12%"
// share a feature while the value is kept for the direction rules.
const (
	kindWord  uint8 = iota
	kindNum         // a plain number: "2024", "1,000"
	kindPct         // a percentage: "8%", "+5%", "12 percent"
	kindUSD         // a dollar amount: "$60k", "$1.2b"
	kindTkr         // a cashtag: "$AAPL"
	kindAsset       // a coin, token or firm name: "bitcoin", "SOL", "Coinbase" (see assetNames)
)

// token is one word or number of a headline. It holds no string: the stem
// is only hashed, and the surface text is re-read from the input through the
// byte span when a term is shown.
type token struct {
	h          uint64 // hash of the stem (or the number class)
	start, end int32  // byte span in the input text
	kind       uint8
	brk        bool    // a clause boundary (",", ":", " - ", ...) precedes it
	upper      bool    // a word written with a capital first letter
	sign       int8    // explicit +/- in front of a number
	val        float64 // numeric value for numbers
}

// Hashing is FNV-1a 64; feature keys mix in a kind byte so unigram, bigram
// and negated-unigram features never share a key.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

func hashBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// Number classes hash like words spelled with angle brackets, which the
// tokenizer never produces from text, so they cannot collide with words.
func classHash(kind uint8) uint64 {
	switch kind {
	case kindNum:
		return hashString(fnvOffset, "<num>")
	case kindPct:
		return hashString(fnvOffset, "<pct>")
	case kindUSD:
		return hashString(fnvOffset, "<usd>")
	case kindTkr:
		return hashString(fnvOffset, "<tkr>")
	case kindAsset:
		return hashString(fnvOffset, "<asset>")
	}
	return fnvOffset
}

func classText(kind uint8) string {
	switch kind {
	case kindNum:
		return "<num>"
	case kindPct:
		return "<pct>"
	case kindUSD:
		return "<usd>"
	case kindTkr:
		return "<tkr>"
	case kindAsset:
		return "<asset>"
	}
	return ""
}

const maxWordLen = 40

// tokenize appends the tokens of s to dst and reports whether s reads as a
// question. It lower-cases, strips possessive 's, turns "n't" into "not",
// stems words (see stem) and recognises numbers, percentages, dollar amounts
// and cashtags. HTML tags are skipped. It allocates nothing beyond dst.
func tokenize(dst []token, s string, limit int) ([]token, bool) {
	var buf [maxWordLen + 4]byte
	question := false
	brk := true
	n := 0
	for i := 0; i < len(s) && n < limit; {
		c := s[i]
		switch {
		case c == '<': // skip an HTML tag when one slipped through
			j := i + 1
			for j < len(s) && s[j] != '>' && j-i < 200 {
				j++
			}
			if j < len(s) && s[j] == '>' {
				i = j + 1
				brk = true
				continue
			}
			i++
			continue
		case c == '?':
			question = true
			brk = true
			i++
			continue
		case c == ',' || c == ';' || c == ':' || c == '!' || c == '(' || c == ')' || c == '|' || c == '"' || c == '[' || c == ']':
			brk = true
			i++
			continue
		case c == '.':
			// "U.S." ends in a dot after a single letter: an abbreviation,
			// not the end of a sentence
			if !(i >= 2 && isLetter(s[i-1]) && s[i-2] == '.') {
				brk = true
			}
			i++
			continue
		case c == '-' || c == '+':
			// a sign directly before a digit, at the start of a word
			if i+1 < len(s) && isDigit(s[i+1]) && (i == 0 || !isWordByte(s[i-1])) {
				t, j := readNumber(s, i+1, i, brk)
				if c == '-' {
					t.sign = -1
				} else {
					t.sign = 1
				}
				dst = append(dst, t)
				n++
				brk = false
				i = j
				continue
			}
			// " - " and "--" separate clauses; "all-time" just splits words
			if i > 0 && s[i-1] == ' ' || i+1 < len(s) && s[i+1] == '-' {
				brk = true
			}
			i++
			continue
		case c == '$':
			if i+1 < len(s) && isDigit(s[i+1]) {
				t, j := readNumber(s, i+1, i, brk)
				t.kind = kindUSD
				t.h = classHash(kindUSD)
				dst = append(dst, t)
				n++
				brk = false
				i = j
				continue
			}
			if i+1 < len(s) && isLetter(s[i+1]) {
				j := i + 1
				for j < len(s) && (isLetter(s[j]) || s[j] == '.' && j+1 < len(s) && isLetter(s[j+1])) {
					j++
				}
				dst = append(dst, token{h: classHash(kindTkr), start: int32(i), end: int32(j), kind: kindTkr, brk: brk})
				n++
				brk = false
				i = j
				continue
			}
			i++
			continue
		case isDigit(c):
			t, j := readNumber(s, i, i, brk)
			dst = append(dst, t)
			n++
			brk = false
			i = j
			continue
		case c < utf8.RuneSelf:
			if !isLetter(c) {
				i++
				continue
			}
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch r {
			case '—', '–', '…', '“', '”', '«', '»':
				brk = true
				i += size
				continue
			case '−': // minus sign before a number
				if i+size < len(s) && isDigit(s[i+size]) {
					t, j := readNumber(s, i+size, i, brk)
					t.sign = -1
					dst = append(dst, t)
					n++
					brk = false
					i = j
					continue
				}
			}
			if !unicode.IsLetter(r) {
				i += size
				continue
			}
		}
		// a word: letters, digits, inner apostrophes and inner dots (U.S.)
		start := i
		w := 0
		ascii := true
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if isLetter(c) || isDigit(c) {
					if w < maxWordLen {
						buf[w] = c | 0x20*byte(boolInt(c >= 'A' && c <= 'Z'))
						w++
					}
					i++
					continue
				}
				if (c == '\'' || c == '.') && i+1 < len(s) && isLetter(s[i+1]) {
					if c == '\'' && w < maxWordLen {
						buf[w] = '\''
						w++
					}
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '’' && i+size < len(s) && isLetter(s[i+size]) {
				if w < maxWordLen {
					buf[w] = '\''
					w++
				}
				i += size
				continue
			}
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			ascii = false
			if w+4 <= maxWordLen {
				w += utf8.EncodeRune(buf[w:], unicode.ToLower(r))
			}
			i += size
		}
		word := buf[:w]
		// "percent" after a number turns it into a percentage
		if n > 0 && string(word) == "percent" && dst[len(dst)-1].kind == kindNum && !brk {
			p := &dst[len(dst)-1]
			p.kind = kindPct
			p.h = classHash(kindPct)
			p.end = int32(i)
			continue
		}
		word, neg := clitics(word)
		if ascii {
			word = stem(word)
		}
		h := hashBytes(fnvOffset, word)
		if neg {
			h = hashString(fnvOffset, "not")
		}
		dst = append(dst, token{h: h, start: int32(start), end: int32(i), kind: kindWord, brk: brk, upper: isUpper(s, start)})
		n++
		brk = false
	}
	return dst, question
}

// clitics drops a possessive 's and reports n't forms ("don't", "can't",
// "won't") as negation.
func clitics(w []byte) ([]byte, bool) {
	n := len(w)
	if n > 2 && w[n-2] == '\'' && w[n-1] == 's' {
		return w[:n-2], false
	}
	if n > 3 && w[n-3] == 'n' && w[n-2] == '\'' && w[n-1] == 't' {
		return w, true
	}
	if n > 1 && w[n-1] == '\'' {
		return w[:n-1], false
	}
	// remove any remaining apostrophes ("o'neil" hashes as "oneil")
	j := 0
	for _, c := range w {
		if c != '\'' {
			w[j] = c
			j++
		}
	}
	return w[:j], false
}

// readNumber reads digits (with , and . separators), an optional magnitude
// suffix (k, m, b, bn, t) and an optional %, starting at i. spanStart is
// where the token's visible text begins (the sign or $).
func readNumber(s string, i, spanStart int, brk bool) (token, int) {
	j := i
	for j < len(s) && (isDigit(s[j]) || (s[j] == ',' || s[j] == '.') && j+1 < len(s) && isDigit(s[j+1])) {
		j++
	}
	var digits [32]byte
	d := 0
	for k := i; k < j && d < len(digits); k++ {
		if s[k] != ',' {
			digits[d] = s[k]
			d++
		}
	}
	v, _ := strconv.ParseFloat(string(digits[:d]), 64)
	t := token{start: int32(spanStart), kind: kindNum, brk: brk}
	// magnitude suffix, only when the word ends right after it
	if j < len(s) {
		switch s[j] | 0x20 {
		case 'k', 'm', 'b', 't':
			k := j + 1
			if k < len(s) && s[j]|0x20 == 'b' && s[k]|0x20 == 'n' {
				k++
			}
			if k >= len(s) || !isLetter(s[k]) && !isDigit(s[k]) {
				j = k
			}
		}
	}
	if j < len(s) && s[j] == '%' {
		j++
		t.kind = kindPct
	}
	t.val = v
	t.end = int32(j)
	t.h = classHash(t.kind)
	// swallow the rest of an alphanumeric run such as "2nd" or "10x"
	for j < len(s) && (isLetter(s[j]) || isDigit(s[j])) {
		j++
		t.end = int32(j)
	}
	return t, j
}

// isUpper reports whether the word starting at s[i] begins with a capital.
func isUpper(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsUpper(r)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isWordByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c >= utf8.RuneSelf
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stem is a deliberately small suffix stripper for English headline verbs
// and plurals: "hacks", "hacked", "hacking" → "hack"; "surges", "surged",
// "surging" → "surg"; "banned" → "ban". It only needs to be consistent, since
// the lexicon goes through the same function. It works in place.
func stem(w []byte) []byte {
	n := len(w)
	if n <= 3 {
		return w
	}
	switch {
	case n > 4 && hasSuffix(w, "ies"):
		w[n-3] = 'y'
		w = w[:n-2]
	case hasSuffix(w, "sses"):
		w = w[:n-2]
	case hasSuffix(w, "ss") || hasSuffix(w, "us") || hasSuffix(w, "is"):
	case w[n-1] == 's':
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case n > 5 && hasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && hasSuffix(w, "ied"):
		w[n-3] = 'y'
		w = w[:n-2]
	case n > 4 && hasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	}
	if n = len(w); n > 3 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

func hasSuffix(w []byte, suf string) bool {
	return len(w) >= len(suf) && string(w[len(w)-len(suf):]) == suf
}

// undouble turns "dropp" into "drop" and "bann" into "ban".
func undouble(w []byte) []byte {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] {
		switch w[n-1] {
		case 'l', 's', 'z', 'f', 'd', 'e', 'o', 'a', 'i', 'u':
			return w
		}
		return w[:n-1]
	}
	return w
}

// wordStem normalises the text of one word token the way tokenize does
// (lower case, inner dots dropped, clitics, stem) and returns the stem.
// Training uses it to name features; tokenize itself never allocates it.
func wordStem(s string) string {
	var buf [maxWordLen + 4]byte
	w := 0
	ascii := true
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
			if w < maxWordLen {
				buf[w] = '\''
				w++
			}
		case r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r))):
			if w < maxWordLen {
				buf[w] = byte(unicode.ToLower(r))
				w++
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			ascii = false
			if w+4 <= maxWordLen {
				w += utf8.EncodeRune(buf[w:], unicode.ToLower(r))
			}
		}
	}
	b, neg := clitics(buf[:w])
	if neg {
		return "not"
	}
	if ascii {
		b = stem(b)
	}
	return string(b)
}
