package safehttp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout = 15 * time.Second
	DefaultMaxBody = 10 << 20 // 10 MiB
	MaxRedirects   = 5
)

// acceptFeeds is sent so servers doing content negotiation pick a feed.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// ErrUnsupportedURL is wrapped by errors about URLs the client won't fetch:
// schemes other than http/https (and file when allowed), relative or remote
// file URLs, redirects to other schemes, malformed numeric hosts.
var ErrUnsupportedURL = errors.New("unsupported URL")

// ErrTooManyRedirects is wrapped when a fetch is redirected more than
// MaxRedirects times.
var ErrTooManyRedirects = errors.New("too many redirects")

// Options configures a Client. Only UserAgent is required.
type Options struct {
	// AllowPrivate (PULSEBOT_ALLOW_PRIVATE_NETWORKS) turns the address guard
	// off: every resolved address is dialled.
	AllowPrivate bool
	// Timeout bounds a whole fetch, body included; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody caps the body after decompression; 0 means DefaultMaxBody.
	MaxBody int64
	// UserAgent is sent with every request, e.g.
	// "pulsebot/1.2.3 (+https://github.com/pulsebot/pulsebot)".
	UserAgent string
	// AllowFiles permits file:///abs/path URLs (operator-configured feeds).
	AllowFiles bool
	// Resolver looks host names up; nil means net.DefaultResolver.
	Resolver Resolver
	// Dial connects to an address the guard has approved, always an IP
	// literal with a port; nil means a net.Dialer. Tests use it to route
	// "public" addresses to an httptest server.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock Retry-After dates are measured against; nil means
	// time.Now.
	Now func() time.Time
}

// Request is one fetch, with the validators stored from the previous one.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
}

// Response is a successful fetch: 2xx with a body, or 304.
type Response struct {
	StatusCode  int
	NotModified bool   // 304 (or an unchanged file): Body is nil, keep the old content
	Body        []byte // decompressed, at most MaxBody bytes
	// Validators to store for the next Request. On a 304 that repeats none,
	// they are the ones the Request sent.
	ETag, LastModified string
	FinalURL           string // after redirects
}

// Client fetches untrusted URLs. It is safe for concurrent use.
type Client struct {
	http       *http.Client
	transport  *http.Transport
	userAgent  string
	timeout    time.Duration
	maxBody    int64
	allowFiles bool
	now        func() time.Time
}

// New builds a Client from opts, filling defaults and rejecting nonsense.
func New(opts Options) (*Client, error) {
	var errs []error
	if opts.UserAgent == "" {
		errs = append(errs, errors.New("UserAgent is required"))
	} else if strings.ContainsAny(opts.UserAgent, "\r\n\x00") {
		errs = append(errs, fmt.Errorf("UserAgent %q contains a control character", opts.UserAgent))
	}
	if opts.Timeout < 0 {
		errs = append(errs, fmt.Errorf("Timeout %s is negative", opts.Timeout))
	}
	if opts.MaxBody < 0 {
		errs = append(errs, fmt.Errorf("MaxBody %d is negative", opts.MaxBody))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("safehttp: new client: %w", err)
	}

	c := &Client{
		userAgent:  opts.UserAgent,
		timeout:    cmpOr(opts.Timeout, DefaultTimeout),
		maxBody:    cmpOr(opts.MaxBody, DefaultMaxBody),
		allowFiles: opts.AllowFiles,
		now:        opts.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	d := &guardedDialer{resolver: opts.Resolver, dial: opts.Dial, allowPrivate: opts.AllowPrivate}
	if d.resolver == nil {
		d.resolver = net.DefaultResolver
	}
	if d.dial == nil {
		d.dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	c.transport = &http.Transport{
		Proxy:                  nil, // a proxy would make the connection for us, past the guard
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true, // a custom DialContext would otherwise turn HTTP/2 off
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 256 << 10,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		// We decode gzip/deflate ourselves so the cap applies after
		// decompression and deflate is understood too.
		DisableCompression: true,
	}
	c.http = &http.Client{
		Transport:     c.transport,
		CheckRedirect: c.checkRedirect,
		// Fetch also puts this deadline on the request context, which is what
		// normally fires (and lets the error name it); this is the backstop.
		Timeout: c.timeout,
	}
	return c, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, MaxRedirects)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("%w: redirect to scheme %q", ErrUnsupportedURL, s)
	}
	req.Header.Set("User-Agent", c.userAgent)
	return nil
}

// CloseIdleConnections closes kept-alive connections; call it when done.
func (c *Client) CloseIdleConnections() { c.transport.CloseIdleConnections() }

// Fetch gets req.URL. It returns a *Response for 2xx and 304 (NotModified),
// a *StatusError for any other status, a *BlockedAddrError when the guard
// refuses an address (also after a redirect), and an error wrapping
// ErrTooLarge, ErrUnsupportedURL, ErrTooManyRedirects or
// context.DeadlineExceeded (naming Options.Timeout) as the case may be.
func (c *Client) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("safehttp: fetch: %w", err)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, fmt.Errorf("safehttp: fetch %s: %w: no host", u.Redacted(), ErrUnsupportedURL)
		}
	case "file":
		if !c.allowFiles {
			return nil, fmt.Errorf("safehttp: fetch %s: %w: file URLs are not allowed (AllowFiles is off)", u.Redacted(), ErrUnsupportedURL)
		}
		return c.fetchFile(ctx, u, req)
	default:
		return nil, fmt.Errorf("safehttp: fetch %s: %w: scheme %q", u.Redacted(), ErrUnsupportedURL, u.Scheme)
	}

	fctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(fctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("safehttp: fetch %s: %w", u.Redacted(), err)
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	hreq.Header.Set("Accept", acceptFeeds)
	hreq.Header.Set("Accept-Encoding", "gzip, deflate")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	resp, err := c.http.Do(hreq)
	if err != nil {
		// On a refused redirect Do also returns the last response (body
		// closed), against which the Location it reports is resolved.
		base := u
		if resp != nil && resp.Request != nil {
			base = resp.Request.URL
		}
		return nil, c.fetchError(ctx, fctx, u, base, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL

	switch {
	case resp.StatusCode == http.StatusNotModified:
		return &Response{
			StatusCode:   resp.StatusCode,
			NotModified:  true,
			ETag:         cmpOr(resp.Header.Get("ETag"), req.ETag),
			LastModified: cmpOr(resp.Header.Get("Last-Modified"), req.LastModified),
			FinalURL:     final.String(),
		}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		se := &StatusError{StatusCode: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter, _ = ParseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		}
		// Read a little so a small error page doesn't cost the connection.
		_, _ = io.CopyN(io.Discard, resp.Body, 16<<10)
		return nil, fmt.Errorf("safehttp: fetch %s: %w", where(u, final.String()), se)
	}

	ce := resp.Header.Get("Content-Encoding")
	if (ce == "" || strings.EqualFold(ce, "identity")) && resp.ContentLength > c.maxBody {
		return nil, fmt.Errorf("safehttp: fetch %s: %w", where(u, final.String()), tooLarge(c.maxBody))
	}
	body, err := decodeBody(resp.Body, ce)
	if err == nil {
		var b []byte
		if b, err = readCapped(body, c.maxBody); err == nil {
			return &Response{
				StatusCode:   resp.StatusCode,
				Body:         b,
				ETag:         resp.Header.Get("ETag"),
				LastModified: resp.Header.Get("Last-Modified"),
				FinalURL:     final.String(),
			}, nil
		}
	}
	if errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("safehttp: fetch %s: %w", where(u, final.String()), err)
	}
	return nil, c.fetchError(ctx, fctx, u, final, &url.Error{Op: "read body", URL: final.String(), Err: err})
}

// fetchError turns a transport or body error into one that says which URL
// (and redirect target) failed, and names our timeout when that is what
// fired rather than leaving "context deadline exceeded" to guess at.
func (c *Client) fetchError(parent, fctx context.Context, u, base *url.URL, err error) error {
	failed := u.String()
	var ue *url.Error
	if errors.As(err, &ue) {
		failed, err = ue.URL, ue.Err
		if ref, perr := base.Parse(failed); perr == nil {
			failed = ref.String()
		}
	}
	w := where(u, failed)
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("safehttp: fetch %s: %w", w, parent.Err())
	case fctx.Err() != nil:
		return fmt.Errorf("safehttp: fetch %s: timed out after %s: %w", w, c.timeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("safehttp: fetch %s: %w", w, err)
}

// where names the URL for an error: the requested one, plus where redirects
// led if that differs. Passwords in URLs are redacted.
func where(u *url.URL, failed string) string {
	w := u.Redacted()
	if failed != "" && failed != u.String() {
		if fu, err := url.Parse(failed); err == nil {
			failed = fu.Redacted()
		}
		w += " (redirected to " + failed + ")"
	}
	return w
}
