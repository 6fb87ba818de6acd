package config

import (
	"bufio"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Feed is one configured news feed.
type Feed struct {
	URL  string // http(s) URL, or file:///abs/path for offline feeds
	Name string // display name; "" lets the ingest job use the feed's title
}

// BuiltinFeeds is the list a user gets without PULSEBOT_FEEDS: large,
// English-language crypto newsrooms with public RSS feeds.
func BuiltinFeeds() []Feed {
	return []Feed{
		{"https://www.coindesk.com/arc/outboundfeeds/rss/", "CoinDesk"},
		{"https://cointelegraph.com/rss", "Cointelegraph"},
		{"https://decrypt.co/feed", "Decrypt"},
		{"https://www.theblock.co/rss.xml", "The Block"},
		{"https://bitcoinmagazine.com/.rss/full/", "Bitcoin Magazine"},
		{"https://u.today/rss", "U.Today"},
		{"https://cryptoslate.com/feed/", "CryptoSlate"},
		{"https://bitcoinist.com/feed/", "Bitcoinist"},
		{"https://www.newsbtc.com/feed/", "NewsBTC"},
		{"https://cryptopotato.com/feed/", "CryptoPotato"},
		{"https://cryptobriefing.com/feed/", "Crypto Briefing"},
		{"https://beincrypto.com/feed/", "BeInCrypto"},
	}
}

// LoadFeeds reads a feeds file: one feed per line, "URL [display name…]",
// '#' comments and blank lines ignored. A file:// URL or a path (relative
// to the feeds file's folder) names a local feed, so pulsebot can run
// offline; such paths are operator configuration, never user input.
// Every bad line is reported, with its number.
func LoadFeeds(path string) ([]Feed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read feeds file: %w", err)
	}
	defer f.Close()
	base, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("feeds file %s: %w", path, err)
	}

	var (
		feeds []Feed
		errs  []error
		seen  = map[string]int{}
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		target, name := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			target, name = line[:i], line[i+1:]
		}
		u, err := feedURL(target, base)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, n, err))
			continue
		}
		if prev, dup := seen[u]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: %s is already listed on line %d", path, n, u, prev))
			continue
		}
		seen[u] = n
		feeds = append(feeds, Feed{URL: u, Name: strings.TrimSpace(name)})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", path, err))
	}
	if len(errs) == 0 && len(feeds) == 0 {
		errs = append(errs, fmt.Errorf("%s lists no feeds", path))
	}
	return feeds, errors.Join(errs...)
}

// feedURL turns one feeds-file target into an absolute URL.
func feedURL(target, base string) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %v", target, err)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return "", fmt.Errorf("%q has no host", target)
		}
		return u.String(), nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", fmt.Errorf("%q: file URLs must be file:///absolute/path", target)
		}
		if !filepath.IsAbs(u.Path) {
			return "", fmt.Errorf("%q: file URLs must hold an absolute path", target)
		}
		return (&url.URL{Scheme: "file", Path: filepath.Clean(u.Path)}).String(), nil
	case "":
		p := target
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, p)
		}
		return (&url.URL{Scheme: "file", Path: filepath.Clean(p)}).String(), nil
	}
	return "", fmt.Errorf("%q: scheme %q is not http, https or file", target, u.Scheme)
}
