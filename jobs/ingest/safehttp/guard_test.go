package safehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
)

const testUA = "pulsebot/test (+https://github.com/pulsebot/pulsebot)"

// publicIP stands in for a real feed host; tests route it to httptest.
const publicIP = "93.184.216.34"

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr   string
		reason string // "" means allowed
	}{
		{"93.184.216.34", ""},
		{"1.1.1.1", ""},
		{"8.8.8.8", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001::200e", ""},
		{"::ffff:93.184.216.34", ""},
		{"2002:5db8:d822::1", ""},  // 6to4 of a public address
		{"64:ff9b::5db8:d822", ""}, // NAT64 of a public address
		{"100.63.255.255", ""},     // just below CGNAT
		{"100.128.0.0", ""},        // just above CGNAT
		{"172.15.255.255", ""},
		{"172.32.0.0", ""},
		{"198.17.255.255", ""},
		{"198.20.0.0", ""},

		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback address, IPv4-mapped"},
		{"::127.0.0.1", "loopback address, IPv4-compatible"},
		{"::5db8:d822", "IPv4-compatible address (deprecated)"},
		{"10.0.0.1", "RFC 1918"},
		{"172.16.0.1", "RFC 1918"},
		{"172.31.255.255", "RFC 1918"},
		{"192.168.1.1", "RFC 1918"},
		{"::ffff:10.0.0.1", "RFC 1918"},
		{"169.254.169.254", "cloud metadata"},
		{"169.254.1.1", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fec0::1", "site-local"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.255", "carrier-grade NAT"},
		{"fc00::1", "unique local"},
		{"fd12:3456::1", "unique local"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"::ffff:0.0.0.0", "unspecified address, IPv4-mapped"},
		{"0.1.2.3", "this network"},
		{"255.255.255.255", "broadcast"},
		{"240.0.0.1", "reserved"},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"192.0.2.1", "documentation"},
		{"198.51.100.7", "documentation"},
		{"203.0.113.9", "documentation"},
		{"2001:db8::1", "documentation"},
		{"192.0.0.8", "IETF protocol"},
		{"192.88.99.1", "6to4 relay"},
		{"2002:7f00:1::1", "loopback address, via 6to4"},
		{"2002:a9fe:a9fe::", "cloud metadata endpoint), via 6to4"},
		{"64:ff9b::a00:1", "RFC 1918), via NAT64"},
		{"64:ff9b:1::1", "local-use NAT64"},
		{"2001::1", "Teredo"},
		{"2001:2::1", "benchmarking"},
		{"100::1", "outside 2000::/3"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a := netip.MustParseAddr(tt.addr)
			err := CheckAddr(a)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckAddr(%s) = %v, want nil", a, err)
				}
				return
			}
			var be *BlockedAddrError
			if !errors.As(err, &be) {
				t.Fatalf("CheckAddr(%s) = %v, want *BlockedAddrError", a, err)
			}
			if be.Addr != a {
				t.Errorf("Addr = %s, want %s", be.Addr, a)
			}
			if !strings.Contains(be.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", be.Reason, tt.reason)
			}
			if !strings.Contains(err.Error(), a.String()) {
				t.Errorf("Error() = %q, want it to name %s", err, a)
			}
		})
	}
}

func TestParseNumericHost(t *testing.T) {
	tests := []struct {
		host string
		want string // "" means not numeric
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"127.0.0.1.", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0X7F000001", "127.0.0.1"},
		{"017700000001", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"0x7f.0.0.0x1", "127.0.0.1"},
		{"0x7f.0.00001", "127.0.0.1"},
		{"10.0x10203", "10.1.2.3"},
		{"192.168.0x101", "192.168.1.1"},
		{"0", "0.0.0.0"},
		{"0x", "0.0.0.0"},
		{"4294967295", "255.255.255.255"},
		{"::1", "::1"},
		{"[::1]", "::1"},
		{"[::ffff:127.0.0.1]", "::ffff:127.0.0.1"},
		{"::ffff:7f00:1", "::ffff:127.0.0.1"},

		{"", ""},
		{".", ""},
		{"localhost", ""},
		{"example.com", ""},
		{"1.2.3.4.5", ""},
		{"256.0.0.1", ""},
		{"1.2.3.256", ""},
		{"1.2.65536", ""},
		{"1.16777216", ""},
		{"4294967296", ""},
		{"0x100000000", ""},
		{"99999999999999999999999", ""},
		{"08.0.0.1", ""},
		{"0x7g.1", ""},
		{"1..1", ""},
		{"-1", ""},
		{"+1", ""},
		{" 1", ""},
		{"1.2.3.4..", ""},
		{"[127.0.0.1]", ""},
		{"1e3", ""},
	}
	for _, tt := range tests {
		got, ok := ParseNumericHost(tt.host)
		if tt.want == "" {
			if ok {
				t.Errorf("ParseNumericHost(%q) = %s, true; want not numeric", tt.host, got)
			}
			continue
		}
		if want := netip.MustParseAddr(tt.want); !ok || got != want {
			t.Errorf("ParseNumericHost(%q) = %s, %t; want %s, true", tt.host, got, ok, want)
		}
	}
}

// fakeResolver answers from a map and fails the test if asked about a
// numeric host: the guard must decode those itself.
type fakeResolver struct {
	t     *testing.T
	hosts map[string][]string

	mu    sync.Mutex
	calls []string
}

func (r *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	r.calls = append(r.calls, host)
	r.mu.Unlock()
	if _, ok := ParseNumericHost(host); ok || endsInNumber(host) {
		r.t.Errorf("resolver asked about numeric host %q; the guard must not rely on it", host)
	}
	var out []net.IPAddr
	for _, s := range r.hosts[host] {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	if len(out) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return out, nil
}

// dialRecorder is an Options.Dial hook that records every address it is
// asked for and either connects to target or fails with errReached.
type dialRecorder struct {
	mu    sync.Mutex
	addrs []string
	route func(addr string) (target string, ok bool)
}

var errReached = errors.New("test dial hook reached")

func (d *dialRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	if target, ok := d.route(addr); ok {
		var nd net.Dialer
		return nd.DialContext(ctx, network, target)
	}
	return nil, fmt.Errorf("dial %s: %w", addr, errReached)
}

func (d *dialRecorder) dialed() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.addrs)
}

// ssrfCase is one URL the guard must refuse, and the address it must name.
type ssrfCase struct {
	name, url, addr, port string
}

// ssrfFixture builds the table of refused URLs around an httptest server
// that plays public.example and, when reached as public.example, redirects
// to itself on 127.0.0.1.
func ssrfFixture(t *testing.T) (cases []ssrfCase, srv *httptest.Server, res *fakeResolver) {
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "public.example" {
			http.Redirect(w, r, "http://127.0.0.1:"+portOf(t, srv)+"/", http.StatusFound)
			return
		}
		io.WriteString(w, "reached "+r.Host)
	}))
	t.Cleanup(srv.Close)
	res = &fakeResolver{t: t, hosts: map[string][]string{
		"public.example": {publicIP},
		"rebind.example": {"10.1.2.3"},
		"localhost":      {"127.0.0.1", "::1"},
		"mixed.example":  {publicIP, "10.0.0.1"},
		"meta.example":   {"fd00:ec2::254"},
	}}
	p := portOf(t, srv)
	cases = []ssrfCase{
		{"loopback", "http://127.0.0.1/", "127.0.0.1", "80"},
		{"loopback v6", "http://[::1]/", "::1", "80"},
		{"v4-mapped loopback", "http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "80"},
		{"decimal", "http://2130706433/", "127.0.0.1", "80"},
		{"hex dotted short", "http://0x7f.1/", "127.0.0.1", "80"},
		{"octal", "http://0177.0.0.1/", "127.0.0.1", "80"},
		{"short form", "http://127.1:8080/", "127.0.0.1", "8080"},
		{"hex", "https://0x7f000001/", "127.0.0.1", "443"},
		{"trailing dot", "http://127.0.0.1./", "127.0.0.1", "80"},
		{"rfc1918 10", "http://10.0.0.1/", "10.0.0.1", "80"},
		{"rfc1918 172", "http://172.16.0.1/", "172.16.0.1", "80"},
		{"rfc1918 192", "http://192.168.1.1/", "192.168.1.1", "80"},
		{"metadata", "http://169.254.169.254/latest/meta-data/", "169.254.169.254", "80"},
		{"cgnat", "http://100.64.0.1/", "100.64.0.1", "80"},
		{"unique local", "http://[fc00::1]/", "fc00::1", "80"},
		{"unspecified", "http://0.0.0.0/", "0.0.0.0", "80"},
		{"unspecified v6", "http://[::]/", "::", "80"},
		{"fullwidth digits (IDNA maps them)", "http://\uff11\uff12\uff17\u3002\uff10.\uff10.\uff11/", "127.0.0.1", "80"},
		{"6to4 loopback", "http://[2002:7f00:1::1]/", "2002:7f00:1::1", "80"},
		{"nat64 metadata", "http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe", "80"},
		{"redirect to loopback", "http://public.example/", "127.0.0.1", p},
		{"name resolving private", "http://rebind.example/", "10.1.2.3", "80"},
		{"localhost", "http://localhost/", "127.0.0.1", "80"},
		{"name mixing public and private", "http://mixed.example/", "10.0.0.1", "80"},
		{"name resolving ula", "http://meta.example/", "fd00:ec2::254", "80"},
	}
	return cases, srv, res
}

func portOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, p, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFetchRefusesBlockedAddresses(t *testing.T) {
	cases, srv, res := ssrfFixture(t)
	publicAddr := net.JoinHostPort(publicIP, "80")
	rec := &dialRecorder{route: func(addr string) (string, bool) {
		if addr == publicAddr {
			return srv.Listener.Addr().String(), true
		}
		t.Errorf("dial hook called with %s: the guard let it through", addr)
		return "", false
	}}
	c, err := New(Options{UserAgent: testUA, Resolver: res, Dial: rec.dial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), Request{URL: tt.url})
			if err == nil {
				t.Fatalf("Fetch(%s) = %d %q, want refusal", tt.url, resp.StatusCode, resp.Body)
			}
			var be *BlockedAddrError
			if !errors.As(err, &be) {
				t.Fatalf("Fetch(%s) error = %v, want *BlockedAddrError", tt.url, err)
			}
			t.Log(err)
			if want := netip.MustParseAddr(tt.addr); be.Addr != want {
				t.Errorf("Addr = %s, want %s", be.Addr, want)
			}
			if !strings.Contains(err.Error(), tt.addr) {
				t.Errorf("error %q does not name %s", err, tt.addr)
			}
		})
	}
	if got := rec.dialed(); !slices.Equal(got, []string{publicAddr}) {
		t.Errorf("dial hook saw %q, want only the redirecting public host %q", got, publicAddr)
	}
}

func TestFetchAllowPrivateLetsEverythingThrough(t *testing.T) {
	cases, srv, res := ssrfFixture(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			// The address stays refused by CheckAddr; only the Client's guard
			// is switched off.
			if CheckAddr(netip.MustParseAddr(tt.addr)) == nil {
				t.Errorf("CheckAddr(%s) = nil, want refusal", tt.addr)
			}
			want := net.JoinHostPort(tt.addr, tt.port)
			redirect := tt.name == "redirect to loopback"
			rec := &dialRecorder{route: func(addr string) (string, bool) {
				// Only the redirect case connects, to the test server (as
				// public.example, then as 127.0.0.1:p).
				return srv.Listener.Addr().String(), redirect
			}}
			c, err := New(Options{UserAgent: testUA, Resolver: res, Dial: rec.dial, AllowPrivate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			resp, err := c.Fetch(t.Context(), Request{URL: tt.url})
			var be *BlockedAddrError
			switch {
			case errors.As(err, &be):
				t.Fatalf("Fetch(%s) = %v; AllowPrivate should let it through", tt.url, err)
			case redirect:
				if err != nil || !strings.HasPrefix(string(resp.Body), "reached 127.0.0.1:") {
					t.Fatalf("Fetch(%s) = %v, %v; want the redirect followed to loopback", tt.url, resp, err)
				}
			case !errors.Is(err, errReached):
				t.Fatalf("Fetch(%s) = %v, want the dial hook's error", tt.url, err)
			}
			if got := rec.dialed(); !slices.Contains(got, want) {
				t.Errorf("dial hook saw %q, want it to include %s", got, want)
			}
		})
	}
}

func TestFetchRefusesMalformedNumericHost(t *testing.T) {
	res := &fakeResolver{t: t}
	rec := &dialRecorder{route: func(addr string) (string, bool) {
		t.Errorf("dial hook called with %s", addr)
		return "", false
	}}
	c, err := New(Options{UserAgent: testUA, Resolver: res, Dial: rec.dial, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"http://08.0.0.1/", "http://1.2.3.4.5/", "http://4294967296/", "http://feeds.0x1g/", "http://%31%32%37.0.0.1/"} {
		_, err := c.Fetch(t.Context(), Request{URL: u})
		switch u {
		case "http://%31%32%37.0.0.1/":
			// net/url refuses escapes in a host name outright.
			if err == nil || !strings.Contains(err.Error(), "invalid URL escape") {
				t.Errorf("Fetch(%s) = %v, want a URL parse error", u, err)
			}
			continue
		case "http://feeds.0x1g/":
			// Not number-like: goes to the resolver, which knows no such host.
			var de *net.DNSError
			if !errors.As(err, &de) {
				t.Errorf("Fetch(%s) = %v, want a DNS error", u, err)
			}
			continue
		}
		if !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("Fetch(%s) = %v, want ErrUnsupportedURL", u, err)
		}
	}
}

// TestDialUsesCheckedAddress shows DNS rebinding doesn't work: the name is
// resolved once per connection and the IP that passed the check is what
// gets dialled, so a second answer pointing at loopback is never used.
func TestDialUsesCheckedAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "feed")
	}))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	lookups := 0
	res := resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups++
		if lookups == 1 {
			return []net.IPAddr{{IP: net.ParseIP(publicIP)}}, nil
		}
		return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
	})
	rec := &dialRecorder{route: func(addr string) (string, bool) {
		return srv.Listener.Addr().String(), addr == net.JoinHostPort(publicIP, "80")
	}}
	c, err := New(Options{UserAgent: testUA, Resolver: res, Dial: rec.dial})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	resp, err := c.Fetch(t.Context(), Request{URL: "http://flip.example/feed"})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if string(resp.Body) != "feed" {
		t.Errorf("body = %q, want %q", resp.Body, "feed")
	}
	if got, want := rec.dialed(), []string{net.JoinHostPort(publicIP, "80")}; !slices.Equal(got, want) {
		t.Errorf("dialled %q, want %q (the checked IP, not the name)", got, want)
	}
	if lookups != 1 {
		t.Errorf("lookups = %d, want 1", lookups)
	}
}

type resolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (f resolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return f(ctx, host)
}
