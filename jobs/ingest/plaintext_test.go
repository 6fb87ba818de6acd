package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "Bitcoin rises", 300, "Bitcoin rises"},
		{"empty", "", 300, ""},
		{"only whitespace", " \n\t\u00a0 ", 300, ""},
		{"trimmed and collapsed", "  Bitcoin \n\n  rises\t\tagain  ", 300, "Bitcoin rises again"},
		{"NBSP and other spaces collapse", "a\u00a0\u00a0b\u2003c\u3000d", 300, "a b c d"},
		{"zero-width space is a space", "a\u200bb \u2060c\ufeffd", 300, "a b c d"},
		{"zero-width joiner kept for emoji", "family 👨\u200d👩\u200d👧 emoji", 300, "family 👨\u200d👩\u200d👧 emoji"},
		{"flags kept", "EU 🇪🇺 vote", 300, "EU 🇪🇺 vote"},
		{"control characters dropped", "a\x00b\x07c\x1bd\u0080e\u009f", 300, "abcde"},
		{"next-line is a line break", "a\u0085b", 300, "a b"},
		{"bidi overrides dropped", "safe\u202etxt.exe\u202c \u200fx", 300, "safetxt.exe x"},
		{"soft hyphen dropped", "crypto\u00adcurrency", 300, "cryptocurrency"},
		{"tags stripped", "<h1>Gemini passes <i>audit</i></h1>", 300, "Gemini passes audit"},
		{"inline tags join words", "bit<b>coin</b> and <a href='x'>eth</a>er", 300, "bitcoin and ether"},
		{"block tags separate words", "<p>one</p><p>two</p>three<br>four<br/>five<div>six</div>", 300, "one two three four five six"},
		{"unknown tags separate words", "a<custom-el>b</custom-el>c", 300, "a b c"},
		{"script and style dropped", "a<script>var s = '<b>x</b>';</script>b<style>p{color:red}</style>c", 300, "a b c"},
		{"self-closing script still drops its content", "a<script/>alert(1)</script>b", 300, "a b"},
		{"noscript and iframe dropped", "a<noscript><img src=x></noscript>b<iframe>frame</iframe>c", 300, "a b c"},
		{"empty script then text kept", "<script></script>kept", 300, "kept"},
		{"comments dropped", "a<!-- <b>hidden</b> -->b", 300, "ab"},
		{"doctype dropped", "<!DOCTYPE html><p>x</p>", 300, "x"},
		{"img alt dropped", `<img src="a.jpg" alt="alt text">caption`, 300, "caption"},
		{"named entities", "AT&amp;T &lt;tag&gt; &quot;q&quot; &copy; &eacute;", 300, `AT&T <tag> "q" © é`},
		{"numeric entities", "&#8211; &#x2019; &#39; &#34;", 300, "– ’ ' \""},
		{"double-escaped decoded once", "&amp;quot;quoted&amp;quot; &amp;amp;", 300, "&quot;quoted&quot; &amp;"},
		{"nbsp entity collapses", "a&nbsp;&nbsp;b&#160;c", 300, "a b c"},
		{"unknown entity left alone", "&lol9; &bogus", 300, "&lol9; &bogus"},
		{"bare ampersand", "Q&A: R&D", 300, "Q&A: R&D"},
		{"less-than as text", "1 < 2 and 3 > 2", 300, "1 < 2 and 3 > 2"},
		{"unclosed tag at end", "text <b", 300, "text"},
		{"invalid UTF-8 replaced", "bad \xff\xfe byte", 300, "bad \ufffd\ufffd byte"},
		{"invalid UTF-8 in HTML", "<p>bad \xc3</p>", 300, "bad \ufffd"},
		{"NUL entity", "a&#0;b", 300, "a\ufffdb"},
		{"cut with ellipsis", "abcdefghij", 5, "abcd…"},
		{"exactly at the cap", "abcde", 5, "abcde"},
		{"cap counts runes not bytes", "äöüßé€", 4, "äöü…"},
		{"trailing space before the cut trimmed", "abc defgh", 5, "abc…"},
		{"trailing whitespace does not count", "abcde   ", 5, "abcde"},
		{"trailing tags do not count", "abcde<p></p><br>", 5, "abcde"},
		{"cap of one", "abc", 1, "…"},
		{"no cap", strings.Repeat("a", 2000), 0, strings.Repeat("a", 2000)},
		{"cut inside markup", "<p>one two</p><p>three four</p>", 9, "one two…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlainText(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("PlainText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("PlainText(%q, %d) = %q is not valid UTF-8", tt.in, tt.max, got)
			}
			if tt.max > 0 && utf8.RuneCountInString(got) > tt.max {
				t.Errorf("PlainText(%q, %d) has %d runes", tt.in, tt.max, utf8.RuneCountInString(got))
			}
		})
	}
}

// TestPlainTextHuge: a multi-megabyte input is cut without building its
// whole text (speed is measured in BenchmarkPlainTextHuge).
func TestPlainTextHuge(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("word ", 1<<20),
		"<h1>" + strings.Repeat("wörd &amp; ", 1<<19) + "</h1>",
		strings.Repeat("<a>", 1<<18) + "text",
	} {
		got := PlainText(in, MaxTitleRunes)
		if n := utf8.RuneCountInString(got); n > MaxTitleRunes {
			t.Errorf("got %d runes, want <= %d", n, MaxTitleRunes)
		}
		if got == "" {
			t.Errorf("PlainText of %d bytes is empty", len(in))
		}
	}
}
