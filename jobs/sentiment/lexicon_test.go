package sentiment

import (
	"strings"
	"testing"
)

// TestLexiconPhrasesAreUnique checks that no stemmed phrase is in two
// lexicon entries: the first would silently win (newRuleSet keeps it), so a
// later entry's weight or category would be dead text.
func TestLexiconPhrasesAreUnique(t *testing.T) {
	type origin struct {
		phrase string
		entry  int
	}
	seen := map[string]origin{}
	entry := 0
	for _, sec := range lexicon() {
		for _, e := range sec.entries {
			entry++
			for _, p := range strings.Split(e.phrases, "|") {
				toks, _ := tokenize(nil, p, 8)
				if len(toks) == 0 {
					t.Errorf("lexicon phrase %q has no words", p)
					continue
				}
				var stems []string
				for _, tk := range toks {
					stems = append(stems, wordStem(p[tk.start:tk.end]))
				}
				key := strings.Join(stems, " ")
				if o, ok := seen[key]; ok && o.entry != entry {
					t.Errorf("lexicon phrase %q (stems %q) is also in the entry of %q", p, key, o.phrase)
				}
				seen[key] = origin{p, entry}
			}
		}
	}
}

// TestLexiconHasNoAssetNames checks that no lexicon phrase is only an asset
// name: Terms come from the lexicon, and a name never explains a verdict.
func TestLexiconHasNoAssetNames(t *testing.T) {
	rs := newRuleSet()
	for _, sec := range lexicon() {
		for _, e := range sec.entries {
			for _, p := range strings.Split(e.phrases, "|") {
				toks, _ := tokenize(nil, p, 8)
				if len(toks) == 1 && rs.assets[toks[0].h] {
					t.Errorf("lexicon phrase %q is an asset name", p)
				}
			}
		}
	}
}
