package ingest

import (
	"net/url"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	base, err := url.Parse("https://www.example.com/news/feed/")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  string
		base *url.URL
		want string
	}{
		{"already canonical", "https://www.example.com/a/b", nil, "https://www.example.com/a/b"},
		{"whitespace and newlines from <link>", "\n      https://u.today/x\n    ", nil, "https://u.today/x"},
		{"scheme and host lower-cased, path kept", "HTTPS://WWW.Example.COM/Path/To", nil, "https://www.example.com/Path/To"},
		{"https default port dropped", "https://example.com:443/a", nil, "https://example.com/a"},
		{"http default port dropped", "http://example.com:80/a", nil, "http://example.com/a"},
		{"other port kept", "https://example.com:8443/a", nil, "https://example.com:8443/a"},
		{"https on port 80 kept", "https://example.com:80/a", nil, "https://example.com:80/a"},
		{"fragment dropped", "https://example.com/a#comments", nil, "https://example.com/a"},
		{"empty path becomes slash", "https://example.com", nil, "https://example.com/"},
		{"empty query dropped", "https://example.com/a?", nil, "https://example.com/a"},
		{"utm params dropped, order kept", "https://e.com/a?z=1&utm_source=rss&b=2&utm_medium=x&a=3", nil, "https://e.com/a?z=1&b=2&a=3"},
		{"utm in any case", "https://e.com/a?UTM_Source=x&Utm_Campaign=y&k=v", nil, "https://e.com/a?k=v"},
		{"escaped utm key", "https://e.com/a?utm%5Fsource=x&k=v", nil, "https://e.com/a?k=v"},
		{"ref, click and mailchimp ids dropped", "https://e.com/a?ref=tw&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&id=9", nil, "https://e.com/a?id=9"},
		{"ref only as whole key", "https://e.com/a?referrer=x&href=y", nil, "https://e.com/a?referrer=x&href=y"},
		{"only tracking params", "https://e.com/a?utm_source=x", nil, "https://e.com/a"},
		{"empty pairs dropped", "https://e.com/a?x=1&&y=2&", nil, "https://e.com/a?x=1&y=2"},
		{"raw query bytes kept", "https://e.com/s?q=a+b&r=%2F", nil, "https://e.com/s?q=a+b&r=%2F"},
		{"userinfo dropped", "https://user:pw@e.com/a", nil, "https://e.com/a"},
		{"IDN host to punycode", "https://Bücher.example/a", nil, "https://xn--bcher-kva.example/a"},
		{"IPv6 host", "http://[2001:DB8::1]:80/a", nil, "http://[2001:db8::1]/a"},
		{"trailing dot in host", "https://example.com./a", nil, "https://example.com/a"},
		{"relative path resolved", "story.html", base, "https://www.example.com/news/feed/story.html"},
		{"root-relative resolved", "/2019/x", base, "https://www.example.com/2019/x"},
		{"dot segments resolved", "../x", base, "https://www.example.com/news/x"},
		{"scheme-relative resolved", "//cdn.example.net/x", base, "https://cdn.example.net/x"},
		{"absolute ignores base", "http://other.example.org/x", base, "http://other.example.org/x"},
		{"relative without base", "/2019/x", nil, ""},
		{"scheme-relative without base", "//cdn.example.net/x", nil, ""},
		{"empty", "", base, ""},
		{"blank", "  \n ", base, ""},
		{"javascript", "javascript:alert(1)", base, ""},
		{"mailto", "mailto:a@example.com", base, ""},
		{"data", "data:text/html,hi", nil, ""},
		{"ftp", "ftp://example.com/file", nil, ""},
		{"file", "file:///etc/passwd", nil, ""},
		{"opaque http", "http:example.com", nil, ""},
		{"no host", "https:///path", nil, ""},
		{"unparsable", "https://exa mple.com/", nil, ""},
		{"control character", "https://example.com/\x7f", nil, ""},
		{"bad percent escape", "https://example.com/%zz", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalURL(tt.raw, tt.base); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

// TestCanonicalURLIdempotent: the output is a fixed point, so a URL stored
// once and canonicalized again (by another caller) keeps its key.
func TestCanonicalURLIdempotent(t *testing.T) {
	for _, raw := range []string{
		"HTTPS://WWW.Example.COM:443/a/../b?x=1&utm_source=2#f",
		"https://e.com/s?q=a+b&r=%2F",
		"https://e.com/p%20q?ü=1",
		"https://Bücher.example/a",
		"http://[2001:DB8::1]:8080",
	} {
		once := CanonicalURL(raw, nil)
		if twice := CanonicalURL(once, nil); twice != once {
			t.Errorf("CanonicalURL(%q) = %q, but again gives %q", raw, once, twice)
		}
	}
}

func TestOutlet(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"www stripped", "https://www.coindesk.com/x", "coindesk.com"},
		{"feeds subdomain", "https://feeds.coindesk.com/y", "coindesk.com"},
		{"bare domain", "https://coindesk.com", "coindesk.com"},
		{"two-label public suffix", "https://www.bbc.co.uk/news/technology-1", "bbc.co.uk"},
		{"deep subdomain of a two-label suffix", "https://feeds.news.bbc.co.uk/rss", "bbc.co.uk"},
		{"upper case and port", "HTTPS://WWW.CoinDesk.COM:443/x", "coindesk.com"},
		{"surrounding whitespace", "\n https://u.today/x \n", "u.today"},
		{"feedburner names the relay", "http://feeds.feedburner.com/Coindesk", "feedburner.com"},
		{"private suffix (github.io)", "https://someone.github.io/blog", "someone.github.io"},
		{"IDN", "https://www.bücher.example/x", "xn--bcher-kva.example"},
		{"scheme-relative", "//www.theblock.co/x", "theblock.co"},
		{"IPv4", "http://192.168.1.10/feed", ""},
		{"IPv6", "http://[2001:db8::1]/feed", ""},
		{"file URL", "file:///home/user/feed.xml", ""},
		{"localhost", "http://localhost:8080/feed", ""},
		{"public suffix itself", "https://co.uk/", ""},
		{"no host", "/relative/path", ""},
		{"empty", "", ""},
		{"unparsable", "http://[::1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Outlet(tt.raw); got != tt.want {
				t.Errorf("Outlet(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
