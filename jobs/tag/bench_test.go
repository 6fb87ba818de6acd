package tag

import (
	"regexp"
	"strings"
	"testing"
)

// BenchmarkTag tags every item of the shared feed fixtures (plain-text
// title, summary up to 1,000 runes, categories) in turn; ns/op is per item.
// The two reference benchmarks below run over the same items in the same
// run, so the ratios are what to quote.
func BenchmarkTag(b *testing.B) {
	items := loadAllFixtures(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := &items[i%len(items)]
		Tag(it.title, it.summary, it.categories)
	}
}

// BenchmarkTagReferenceFields is the floor: lower-casing and splitting the
// same text with the standard library, with no matching at all.
func BenchmarkTagReferenceFields(b *testing.B) {
	items := loadAllFixtures(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := &items[i%len(items)]
		_ = strings.Fields(strings.ToLower(it.title + " " + it.summary))
	}
}

// BenchmarkTagReferenceRegexp is the approach Tag avoids: one
// case-insensitive, word-bounded alternation of every coin ticker and name,
// run over the same text. It finds coins only, without any of Tag's rules.
func BenchmarkTagReferenceRegexp(b *testing.B) {
	items := loadAllFixtures(b)
	var alts []string
	for _, c := range Coins() {
		alts = append(alts, regexp.QuoteMeta(c.Ticker), regexp.QuoteMeta(c.Name))
	}
	re := regexp.MustCompile(`(?i)\b(` + strings.Join(alts, "|") + `)\b`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := &items[i%len(items)]
		_ = re.FindAllString(it.title+" "+it.summary, -1)
	}
}
