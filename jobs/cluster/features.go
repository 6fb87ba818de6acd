package cluster

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A term is one normalised token of a headline or summary: a stemmed word, a
// canonical entity ("sec", "etf", "bitcoin") or a canonical amount ("$3.8m",
// "$87k", "1b", "7.5%").
type term struct {
	text  string
	class termClass
}

type termClass uint8

const (
	classWord   termClass = iota
	classWeak             // generic words every crypto headline has
	classAmount           // money, a percentage or a number with a multiplier: the strongest signal
	classNumber           // a bare number (counts, days, versions)
	classYear             // 1900..2100 without a currency sign: a weak signal
)

// classWeight is how much a term of each class counts before IDF. Amounts
// count double because two outlets rarely agree on "$3.8M" by chance, while
// generic words ("crypto", "price", "market") agree all the time.
func classWeight(c termClass) float64 {
	switch c {
	case classWeak:
		return 0.25
	case classAmount:
		return 2
	case classNumber:
		return 1
	case classYear:
		return 0.5
	}
	return 1
}

// terms splits plain text into normalised terms, in order, with duplicates.
// It is the only place that knows about spelling: numbers with multipliers
// ("$3.8 million" = "$3.8M"), abbreviations ("U.S."), possessives, plurals
// and the small synonym table of crypto news (hack = exploit = heist).
func terms(s string) []term {
	return appendTerms(nil, rawTokens(nil, s))
}

// appendTerms appends the terms of raw to out; see terms.
func appendTerms(out []term, raw []rawToken) []term {
	for i := 0; i < len(raw); i++ {
		tok := raw[i]
		if tok.num {
			t, skip := amountTerm(tok, raw[i+1:])
			i += skip
			out = append(out, t)
			continue
		}
		w := tok.text
		// Two-word names that mean one thing; "exchange traded fund" and "layer 2"
		// would otherwise count as unrelated words.
		if c, n, ok := phrase(w, raw[i+1:]); ok {
			out = append(out, term{text: c, class: classWord})
			i += n
			continue
		}
		// "US" in capitals is the country, "us" the pronoun.
		if tok.caps && w == "us" {
			w = "usa"
		}
		if stopword(w) {
			continue
		}
		c := canonical(w)
		if c == "" {
			continue
		}
		cl := classWord
		if weakWord(c) {
			cl = classWeak
		}
		out = append(out, term{text: c, class: cl})
	}
	return out
}

// rawToken is a lower-cased word or a number as it appeared in the text.
type rawToken struct {
	text   string
	num    bool    // a number, value in val
	val    float64 // the number's value
	dollar bool    // preceded by a currency sign
	pct    bool    // followed by %
	suffix string  // letters glued to the number ("m", "bn", "k", "th")
	caps   bool    // written in capitals (US vs us)
}

// rawTokens appends to out the tokens of s: letters, digits and the
// punctuation that belongs to numbers ("1,000.5", "$3.8M", "7.5%");
// apostrophes join ("exploiter's" is one token, its possessive is removed
// later), everything else separates.
func rawTokens(out []rawToken, s string) []rawToken {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			tok, end := scanNumber(s, i)
			out = append(out, tok)
			i = end
		case unicode.IsLetter(r):
			start := i
			i += n
			for i < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[i:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					i += n2
					continue
				}
				// U.S., U.K., E.U.: single letters joined by dots.
				if r2 == '.' && i-start == 1 && i+2 <= len(s) && isUpperASCII(s[i+1]) {
					i += 2
					continue
				}
				if (r2 == '\'' || r2 == '’') && i+n2 < len(s) {
					if r3, _ := utf8.DecodeRuneInString(s[i+n2:]); unicode.IsLetter(r3) {
						i += n2
						continue
					}
				}
				break
			}
			word := s[start:i]
			tok := rawToken{text: normaliseWord(word), caps: isAllUpper(word)}
			if tok.text != "" {
				out = append(out, tok)
			}
		default:
			i += n
		}
	}
	return out
}

func isUpperASCII(b byte) bool { return b >= 'A' && b <= 'Z' }

func isAllUpper(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// normaliseWord lower-cases, turns curly apostrophes straight, drops
// possessives ("bitget's", "ETFs'") and dots inside abbreviations.
func normaliseWord(w string) string {
	plain := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || (c >= 'A' && c <= 'Z') || c == '\'' || c == '.' {
			plain = false
			break
		}
	}
	if plain {
		return w // the common case, without allocating
	}
	w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	if strings.HasSuffix(w, "'s") {
		w = w[:len(w)-2]
	}
	w = strings.TrimSuffix(w, "'")
	if strings.Contains(w, ".") {
		w = strings.TrimSuffix(w, ".")
	}
	if strings.ContainsRune(w, '\'') {
		// Contractions and names with apostrophes ("don't", "o'neil"): keep letters.
		w = strings.ReplaceAll(w, "'", "")
	}
	return w
}

// scanNumber reads "87,000", "3.8", "2026" plus a glued suffix ("M", "bn",
// "K", "th") and a trailing "%", starting at s[i]; a "$" (or €, £) right
// before s[i] marks money.
func scanNumber(s string, i int) (rawToken, int) {
	start := i
	commas := false
	for i < len(s) {
		c := s[i]
		if c >= '0' && c <= '9' {
			i++
			continue
		}
		// A comma or dot between digits belongs to the number: "1,000", "3.8".
		if (c == ',' || c == '.') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			commas = commas || c == ','
			i++
			continue
		}
		break
	}
	tok := rawToken{num: true, text: s[start:i]}
	if commas {
		tok.text = strings.ReplaceAll(tok.text, ",", "")
	}
	tok.val, _ = strconv.ParseFloat(tok.text, 64)
	sufStart := i
	for i < len(s) && s[i] < utf8.RuneSelf && unicode.IsLetter(rune(s[i])) {
		i++
	}
	tok.suffix = strings.ToLower(s[sufStart:i])
	if i < len(s) && s[i] == '%' {
		tok.pct = true
		i++
	}
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		tok.dollar = r == '$' || r == '€' || r == '£'
	}
	return tok, i
}

// amountTerm turns a number (and the multiplier word after it, if any) into
// one canonical term, so "$87,000", "$87K" and "87 thousand dollars" agree.
// It reports how many following raw tokens it consumed.
func amountTerm(tok rawToken, next []rawToken) (term, int) {
	mult, skip := 1.0, 0
	switch tok.suffix {
	case "k":
		mult = 1e3
	case "m", "mn", "mln":
		mult = 1e6
	case "b", "bn", "bln":
		mult = 1e9
	case "t", "tn":
		mult = 1e12
	case "":
		if len(next) > 0 && !next[0].num {
			switch next[0].text {
			case "thousand":
				mult, skip = 1e3, 1
			case "million", "millions", "mln":
				mult, skip = 1e6, 1
			case "billion", "billions", "bln":
				mult, skip = 1e9, 1
			case "trillion":
				mult, skip = 1e12, 1
			}
		}
	}
	v := tok.val * mult
	switch {
	case tok.pct:
		return term{text: formatAmount(tok.val) + "%", class: classAmount}, skip
	case tok.dollar:
		// Money keeps its currency mark: "$1 billion" (a deal) and "1 billion
		// XRP" (a token count) are different facts.
		return term{text: "$" + compactAmount(v), class: classAmount}, skip
	case mult > 1 || v >= 1e4:
		return term{text: compactAmount(v), class: classAmount}, skip
	case tok.suffix != "" && tok.suffix != "s" && tok.suffix != "th" && tok.suffix != "st" &&
		tok.suffix != "nd" && tok.suffix != "rd" && tok.suffix != "x":
		// "Q3"-like codes come out of the letter branch; here it is "5G", "3D",
		// "zk2": keep as a word.
		return term{text: tok.text + tok.suffix, class: classWord}, skip
	case v >= 1900 && v <= 2100 && tok.val == math.Trunc(tok.val):
		return term{text: tok.text, class: classYear}, skip
	}
	return term{text: formatAmount(tok.val), class: classNumber}, skip
}

// compactAmount writes 87000 as "87k", 3800000 as "3.8m", 1e9 as "1b", with
// at most three significant digits so "$1.05 billion" and "$1,050 million"
// agree.
func compactAmount(v float64) string {
	switch {
	case v >= 1e12:
		return formatAmount(v/1e12) + "t"
	case v >= 1e9:
		return formatAmount(v/1e9) + "b"
	case v >= 1e6:
		return formatAmount(v/1e6) + "m"
	case v >= 1e3:
		return formatAmount(v/1e3) + "k"
	}
	return formatAmount(v)
}

func formatAmount(v float64) string {
	if v == math.Trunc(v) && v >= 0 && v < 1000 {
		return strconv.Itoa(int(v))
	}
	// Three significant digits, written without an exponent.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// stem removes English inflections well enough to make "launches",
// "launched" and "launch" one term. It is deliberately light (no suffixes
// like -ation or -er) because over-stemming merges different words, which
// costs more than it gains on four-to-twelve-word headlines.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && (strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied")):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") ||
		strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zes")):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:n-2])
	}
	// A final silent e: "raise"/"raised"/"raises" all end as "rais",
	// "hire"/"hired" as "hir".
	if len(w) > 3 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") {
		w = w[:len(w)-1]
	}
	return w
}

// undouble turns "stopp" (from "stopped") into "stop".
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiousl", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// canonical maps a lower-case word to its term: an alias for a known entity
// or synonym group, else its stem. An empty result means "ignore".
func canonical(w string) string {
	if c, ok := alias(w); ok {
		return c
	}
	s := stem(w)
	if c, ok := alias(s); ok {
		return c
	}
	if stopword(s) {
		return ""
	}
	return s
}
