package ingest

import (
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// CanonicalURL returns the form of an article or site URL used as a key: it
// is trimmed (feeds put newlines around <link> values) and resolved against
// base when relative (base may be nil); the scheme and host are lower-case,
// an IDN host is in its ASCII (punycode) form, the default port, any
// user:password@ and the fragment are dropped, tracking parameters are
// removed (utm_* in any case, ref, fbclid, gclid, mc_cid, mc_eid) while the
// rest of the query keeps its order, and an empty path becomes "/".
//
// It returns "" for anything that is not an absolute http(s) URL with a
// host, so javascript:, mailto:, data: and unresolvable relative links never
// become article URLs.
func CanonicalURL(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" {
		return ""
	}
	host := canonicalHost(u.Hostname())
	if host == "" {
		return ""
	}
	if strings.IndexByte(host, ':') >= 0 {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = stripTracking(u.RawQuery)
	u.ForceQuery = false
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String()
}

// canonicalHost lower-cases a host name and converts an IDN to ASCII; it
// returns "" when the name cannot be a DNS name.
func canonicalHost(host string) string {
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(host)
			if err != nil {
				return ""
			}
			return a
		}
	}
	return strings.ToLower(host)
}

// stripTracking removes tracking parameters from a raw query, keeping the
// others byte for byte and in order. Empty pairs ("a=1&&b=2") go too.
func stripTracking(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	var b strings.Builder
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if isTrackingParam(key) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pair)
	}
	return b.String()
}

func isTrackingParam(key string) bool {
	if len(key) >= 4 && strings.EqualFold(key[:4], "utm_") {
		return true
	}
	for _, t := range [...]string{"ref", "fbclid", "gclid", "mc_cid", "mc_eid"} {
		if strings.EqualFold(key, t) {
			return true
		}
	}
	return false
}

// Outlet returns the publisher id of a URL: the registrable domain (eTLD+1
// by the public suffix list) of its host, lower-case, so www.coindesk.com
// and feeds.coindesk.com are both "coindesk.com" and news.bbc.co.uk is
// "bbc.co.uk". It returns "" for file: URLs, IP addresses, hosts that are
// themselves public suffixes or single labels (localhost), and unparsable
// input.
//
// Hosts such as feeds.feedburner.com name the relay, not the publisher, and
// nothing in the URL says so: callers apply Outlet to the article URL or
// the feed's SiteURL first and fall back to the feed URL.
func Outlet(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || strings.EqualFold(u.Scheme, "file") {
		return ""
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); host == "" || err == nil {
		return ""
	}
	host = canonicalHost(host)
	if host == "" {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}
