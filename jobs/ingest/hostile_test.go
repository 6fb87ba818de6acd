package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// rssDoc wraps item XML in a minimal RSS 2.0 document.
func rssDoc(prolog, items string) []byte {
	return []byte(prolog + `<rss version="2.0"><channel><title>t</title><link>https://h.example.com/</link>` + items + `</channel></rss>`)
}

// TestBillionLaughs proves encoding/xml (under gofeed) does not expand
// entities declared in a DTD: not the nine-level bomb, not even a single
// harmless one, and no external entity is read.
func TestBillionLaughs(t *testing.T) {
	var dtd strings.Builder
	dtd.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + string(rune('0'+i))
		dtd.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	dtd.WriteString(`<!ENTITY one "EXPANDED"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>`)
	body := rssDoc(dtd.String(), `<item><title>&lol9;</title><guid>b</guid><description>&one; &xxe;</description></item>`)

	f, err := Parse(body, testFeedURL, testFetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(f.Items) != 1 {
		t.Fatalf("got %d items, want 1", len(f.Items))
	}
	it := f.Items[0]
	if it.Title != "&lol9;" {
		t.Errorf("title = %q, want the unexpanded reference %q", it.Title, "&lol9;")
	}
	if strings.Contains(it.Summary, "EXPANDED") || strings.Contains(it.Summary, "root:") {
		t.Errorf("summary = %q: a DTD entity was expanded", it.Summary)
	}
}

// TestHugeTitle: a 5 MB title comes out capped (BenchmarkParseHugeTitle
// measures the cost against gofeed alone).
func TestHugeTitle(t *testing.T) {
	f, err := Parse(hugeTitleDoc(), testFeedURL, testFetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(f.Items) != 1 {
		t.Fatalf("got %d items, want 1", len(f.Items))
	}
	title := f.Items[0].Title
	// A cut just after a space loses that space too, hence the range.
	if n := utf8.RuneCountInString(title); n < MaxTitleRunes-1 || n > MaxTitleRunes || !strings.HasSuffix(title, "…") {
		t.Errorf("title has %d runes, want %d ending in …", n, MaxTitleRunes)
	}
	if n := utf8.RuneCountInString(f.Items[0].Summary); n > MaxSummaryRunes {
		t.Errorf("summary has %d runes", n)
	}
}

// hugeTitleDoc is an RSS document whose one item has a 5 MB title of
// escaped HTML with multi-byte text, and the same as description.
func hugeTitleDoc() []byte {
	chunk := "&lt;b&gt;Blöck&lt;/b&gt; chain ünd &amp;amp; more "
	big := strings.Repeat(chunk, 5<<20/len(chunk))
	return rssDoc("", `<item><title>`+big+`</title><link>https://h.example.com/a</link><description>`+big+`</description></item>`)
}

// TestDeepNesting: deeply nested elements in every position parse or fail
// cleanly, without exhausting the stack.
func TestDeepNesting(t *testing.T) {
	const depth = 100_000
	open, closeTags := strings.Repeat("<a>", depth), strings.Repeat("</a>", depth)
	ext, extClose := strings.Repeat("<x:a>", depth), strings.Repeat("</x:a>", depth)
	tests := []struct {
		name  string
		body  []byte
		items int // -1: an error is fine
	}{
		{"in channel", rssDoc("", open+closeTags+`<item><title>ok</title><guid>1</guid></item>`), 1},
		{"in item", rssDoc("", `<item><title>ok</title><guid>1</guid>`+open+closeTags+`</item>`), 1},
		{"in title", rssDoc("", `<item><title>`+open+`deep`+closeTags+`</title><guid>1</guid></item>`), 1},
		{"extension elements", []byte(`<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>ok</title><guid>1</guid>` + ext + extClose + `</item></channel></rss>`), 1},
		{"never closed", rssDoc("", `<item><title>ok</title>`+open), -1},
		{"atom", []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title>ok</title>` + open + closeTags + `</entry></feed>`), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, testFeedURL, testFetchedAt)
			if tt.items < 0 {
				if err == nil {
					checkInvariants(t, f)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, f)
			if len(f.Items) != tt.items {
				t.Errorf("got %d items, want %d", len(f.Items), tt.items)
			}
		})
	}
}

// TestNotAFeed: inputs that are not feeds fail with a clean, prefixed error.
func TestNotAFeed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	tests := []struct {
		name string
		body []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"whitespace", []byte(" \n\t\r\n ")},
		{"BOM only", []byte("\xef\xbb\xbf")},
		{"garbage bytes", garbage},
		{"garbage after <", append([]byte("<"), garbage...)},
		{"HTML page", []byte("<!DOCTYPE html>\n<html><head><title>Not a feed</title></head><body><h1>Hi</h1></body></html>")},
		{"XML that is not a feed", []byte(`<?xml version="1.0"?><sitemap><url>https://x.example.com/</url></sitemap>`)},
		{"truncated RSS", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>cut`)},
		{"JSON that is not a feed", []byte(`{"hello": [1, 2, 3`)},
		{"plain text", []byte("just some words\n")},
		{"unknown encoding label", []byte(`<?xml version="1.0" encoding="x-no-such-charset"?><html/>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, testFeedURL, testFetchedAt)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", f)
			}
			if !strings.HasPrefix(err.Error(), "ingest: parse feed: ") {
				t.Errorf("error %q lacks the prefix %q", err, "ingest: parse feed: ")
			}
		})
	}
}

// TestOddButValid: inputs real servers send that must still parse.
func TestOddButValid(t *testing.T) {
	item := `<item><title>ok ✓</title><guid>1</guid></item>`
	tests := []struct {
		name string
		body []byte
	}{
		{"UTF-8 BOM", append([]byte("\xef\xbb\xbf"), rssDoc(`<?xml version="1.0" encoding="utf-8"?>`, item)...)},
		{"leading whitespace", append([]byte("\n\n  "), rssDoc(`<?xml version="1.0"?>`, item)...)},
		{"spaces and single quotes in the declaration", rssDoc(`<?xml version = '1.0' encoding = 'UTF-8' ?>`, item)},
		{"upper-case encoding label", rssDoc(`<?xml version="1.0" encoding="UTF-8"?>`, item)},
		{"unknown encoding label", rssDoc(`<?xml version="1.0" encoding="x-no-such-charset"?>`, item)},
		{"control characters", rssDoc("", `<item><title>ok`+"\x01\x02"+` ✓</title><guid>1</guid></item>`)},
		{"invalid UTF-8 in a UTF-8 document", rssDoc("", `<item><title>ok `+"\xff"+`✓</title><guid>1`+"\xc3"+`</guid></item>`)},
		{"U+FFFE", rssDoc("", `<item><title>ok `+"\xef\xbf\xbe"+`✓</title><guid>1</guid></item>`)},
		{"JSON feed with invalid UTF-8", []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"j` + "\xff" + `","items":[{"id":"1","title":"ok ` + "\xfe" + `✓"}]}`)},
		{"undeclared HTML entity", rssDoc("", `<item><title>ok&nbsp;&hellip; ✓</title><guid>1</guid></item>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, testFeedURL, testFetchedAt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, f)
			if len(f.Items) != 1 || !strings.HasPrefix(f.Items[0].Title, "ok") || !strings.HasSuffix(f.Items[0].Title, "✓") {
				t.Errorf("items = %+v, want one titled ok…✓", f.Items)
			}
		})
	}
}

// TestParseDoesNotModifyBody: Parse may be handed a buffer the caller keeps.
func TestParseDoesNotModifyBody(t *testing.T) {
	for _, body := range [][]byte{
		[]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>f\xfcr</title></channel></rss>"),
		[]byte("<rss version=\"2.0\"><channel><title>bad \xff</title></channel></rss>"),
	} {
		before := string(body)
		if _, err := Parse(body, "", testFetchedAt); err != nil {
			t.Fatal(err)
		}
		if string(body) != before {
			t.Errorf("body changed: %q -> %q", before, body)
		}
	}
}

// TestMislabelledCharset: a body declared ISO-8859-1 whose bytes are UTF-8
// is read as UTF-8 instead of turning "ü" into "Ã¼".
func TestMislabelledCharset(t *testing.T) {
	body := rssDoc(`<?xml version="1.0" encoding="ISO-8859-1"?>`, `<item><title>Grüße aus München</title><guid>1</guid></item>`)
	f, err := Parse(body, testFeedURL, testFetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Items[0].Title, "Grüße aus München"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
}
