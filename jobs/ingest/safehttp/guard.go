package safehttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Resolver turns a host name into addresses. *net.Resolver satisfies it; tests
// inject a map.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// BlockedAddrError reports that the guard refused to connect to an address.
type BlockedAddrError struct {
	Host   string     // host as written in the URL; "" when CheckAddr is called directly
	Addr   netip.Addr // the address refused
	Reason string     // what kind of address it is, e.g. "loopback address"
}

func (e *BlockedAddrError) Error() string {
	addr := e.Addr.String()
	if e.Addr.Is6() {
		addr = "[" + addr + "]" // "::" alone before a colon reads badly
	}
	if e.Host == "" || e.Host == e.Addr.String() {
		return fmt.Sprintf("refusing to connect to %s: %s", addr, e.Reason)
	}
	return fmt.Sprintf("refusing to connect to %s for %q: %s", addr, e.Host, e.Reason)
}

// CheckAddr returns nil if a is a public unicast address a feed may live on,
// and a *BlockedAddrError saying what a is otherwise.
//
// Refused beyond the obvious (loopback, RFC 1918, link-local, CGNAT, ULA,
// multicast, unspecified, broadcast): "this network" 0.0.0.0/8, the IETF
// protocol block 192.0.0.0/24, documentation and benchmarking ranges (no feed
// lives there, and 198.18.0.0/15 is what fake-IP VPN/proxy setups hand out
// for internal names), 240.0.0.0/4, IPv6 outside 2000::/3, Teredo (the
// embedded IPv4 can be anything), and IPv4-mapped, IPv4-compatible, 6to4 and
// NAT64 addresses whose embedded IPv4 address would be refused.
func CheckAddr(a netip.Addr) error {
	if r := blockReason(a); r != "" {
		return &BlockedAddrError{Addr: a, Reason: r}
	}
	return nil
}

// blockReason is CheckAddr without the allocation: "" means allowed.
func blockReason(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "invalid address"
	case a.Is4():
		return v4Reason(a.As4())
	case a.Is4In6():
		if r := v4Reason(a.Unmap().As4()); r != "" {
			return r + ", IPv4-mapped"
		}
		return ""
	}
	return v6Reason(a.WithZone(""))
}

func v4Reason(b [4]byte) string {
	switch {
	case b == [4]byte{}:
		return "unspecified address"
	case b[0] == 0:
		return `"this network" address (0.0.0.0/8)`
	case b[0] == 10, b[0] == 172 && b[1]&0xf0 == 16, b[0] == 192 && b[1] == 168:
		return "private address (RFC 1918)"
	case b[0] == 100 && b[1]&0xc0 == 64:
		return "carrier-grade NAT address (100.64.0.0/10)"
	case b[0] == 127:
		return "loopback address"
	case b == [4]byte{169, 254, 169, 254}:
		return "link-local address (cloud metadata endpoint)"
	case b[0] == 169 && b[1] == 254:
		return "link-local address"
	case b[0] == 192 && b[1] == 0 && b[2] == 0:
		return "IETF protocol assignment (192.0.0.0/24)"
	case b[0] == 192 && b[1] == 0 && b[2] == 2, b[0] == 198 && b[1] == 51 && b[2] == 100, b[0] == 203 && b[1] == 0 && b[2] == 113:
		return "documentation address (RFC 5737)"
	case b[0] == 192 && b[1] == 88 && b[2] == 99:
		return "6to4 relay anycast address (deprecated)"
	case b[0] == 198 && b[1]&0xfe == 18:
		return "benchmarking address (198.18.0.0/15)"
	case b[0] >= 224 && b[0] < 240:
		return "multicast address"
	case b == [4]byte{255, 255, 255, 255}:
		return "broadcast address"
	case b[0] >= 240:
		return "reserved address (240.0.0.0/4)"
	}
	return ""
}

func v6Reason(a netip.Addr) string {
	b := a.As16()
	embedded := func(off int, via string) string {
		if r := v4Reason([4]byte(b[off : off+4])); r != "" {
			return r + ", " + via
		}
		return ""
	}
	switch {
	case a == netip.IPv6Unspecified():
		return "unspecified address"
	case a == netip.IPv6Loopback():
		return "loopback address"
	case [12]byte(b[:12]) == [12]byte{}:
		// ::a.b.c.d, deprecated since RFC 4291; nothing public uses it.
		if r := embedded(12, "IPv4-compatible"); r != "" {
			return r
		}
		return "IPv4-compatible address (deprecated)"
	case a.IsMulticast():
		return "multicast address"
	case a.IsLinkLocalUnicast():
		return "link-local address"
	case b[0] == 0xfe && b[1]&0xc0 == 0xc0:
		return "site-local address (deprecated)"
	case b[0]&0xfe == 0xfc:
		return "unique local address (fc00::/7)"
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && [8]byte(b[4:12]) == [8]byte{}:
		// 64:ff9b::/96 reaches the embedded IPv4 address through NAT64.
		return embedded(12, "via NAT64")
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1:
		return "local-use NAT64 address (64:ff9b:1::/48)"
	case b[0] == 0x20 && b[1] == 0x02:
		return embedded(2, "via 6to4")
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0:
		return "Teredo address (2001::/32)"
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0x02 && b[4] == 0 && b[5] == 0:
		return "benchmarking address (2001:2::/48)"
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8,
		b[0] == 0x3f && b[1] == 0xff && b[2]&0xf0 == 0:
		return "documentation address"
	case b[0]&0xe0 != 0x20:
		return "reserved address (outside 2000::/3)"
	}
	return ""
}

// ParseNumericHost decodes a host written as a number: IPv6 literals (with or
// without brackets) and every IPv4 spelling inet_aton accepts, i.e. one to
// four dot-separated parts, each decimal, octal (leading 0) or hex (0x), the
// last part filling the remaining bytes ("127.1", "2130706433", "0x7f.1",
// "0177.0.0.1", "0x7f000001"). A single trailing dot is ignored, as URL
// parsers do. It reports false for anything else, including names.
func ParseNumericHost(host string) (netip.Addr, bool) {
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		a, err := netip.ParseAddr(host[1 : len(host)-1])
		return a, err == nil && a.Is6()
	}
	if strings.Contains(host, ":") {
		a, err := netip.ParseAddr(host)
		return a, err == nil && a.Is6()
	}
	host = strings.TrimSuffix(host, ".")
	var parts [4]uint32
	n := 0
	for p := range strings.SplitSeq(host, ".") {
		if n == len(parts) {
			return netip.Addr{}, false
		}
		v, ok := parseAtonPart(p)
		if !ok {
			return netip.Addr{}, false
		}
		parts[n] = v
		n++
	}
	// All parts but the last are single bytes; the last fills what is left.
	var ip uint32
	for i := range n - 1 {
		if parts[i] > 0xff {
			return netip.Addr{}, false
		}
		ip |= parts[i] << (24 - 8*i)
	}
	if last := uint64(parts[n-1]); last >= 1<<(8*(5-n)) {
		return netip.Addr{}, false
	}
	ip |= parts[n-1]
	return netip.AddrFrom4([4]byte{byte(ip >> 24), byte(ip >> 16), byte(ip >> 8), byte(ip)}), true
}

// parseAtonPart parses one inet_aton component into at most 32 bits.
func parseAtonPart(p string) (uint32, bool) {
	if p == "" {
		return 0, false
	}
	base := uint64(10)
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:] // "0x" alone is 0, as in inet_aton and the URL standard
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	}
	var v uint64
	for i := 0; i < len(p); i++ {
		d := digitVal(p[i])
		if d >= base {
			return 0, false
		}
		v = v*base + d
		if v > 0xffffffff {
			return 0, false
		}
	}
	return uint32(v), true
}

func digitVal(c byte) uint64 {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0')
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10
	}
	return 99
}

// endsInNumber is the URL standard's test for "this host is meant to be an
// IPv4 address": its last label is decimal digits or 0x-hex. Such a host
// that ParseNumericHost rejects ("1.2.3.4.5", "08.0.0.1") is refused rather
// than handed to a resolver that might read it some other way.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') {
		last = last[2:]
		for i := 0; i < len(last); i++ {
			if digitVal(last[i]) >= 16 {
				return false
			}
		}
		return true
	}
	if last == "" {
		return false
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// guardedDialer is the Transport's DialContext: resolve once, check every
// address, dial an approved IP (never the name, so a second lookup can't
// swap in a different answer).
type guardedDialer struct {
	resolver     Resolver
	dial         func(ctx context.Context, network, addr string) (net.Conn, error)
	allowPrivate bool
}

func (d *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %q: %w", addr, err)
	}
	addrs, err := d.resolve(ctx, network, host)
	if err != nil {
		return nil, err
	}
	if !d.allowPrivate {
		// One bad answer refuses the host: a name that mixes public and
		// private addresses is a rebinding attempt, not a feed.
		for _, a := range addrs {
			if r := blockReason(a); r != "" {
				return nil, &BlockedAddrError{Host: host, Addr: a, Reason: r}
			}
		}
	}
	return d.dialFirst(ctx, network, host, port, addrs)
}

func (d *guardedDialer) resolve(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, ok := ParseNumericHost(host); ok {
		return []netip.Addr{a}, nil
	}
	if endsInNumber(host) {
		return nil, fmt.Errorf("host %q: %w: malformed numeric address", host, ErrUnsupportedURL)
	}
	ips, err := d.resolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", host, err)
	}
	out := make([]netip.Addr, 0, len(ips))
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			continue
		}
		// net.IP stores IPv4 in 16 bytes; an A record is an IPv4 address.
		a = a.Unmap()
		if ip.Zone != "" {
			a = a.WithZone(ip.Zone)
		}
		switch {
		case network == "tcp4" && !a.Is4(), network == "tcp6" && a.Is4():
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("resolve %q: no usable %s addresses", host, network)
	}
	return out, nil
}

// dialFirst tries the approved addresses in order. Like net.Dialer, it gives
// each attempt a share of the remaining time so one black-holed address
// can't use up the whole deadline.
func (d *guardedDialer) dialFirst(ctx context.Context, network, host, port string, addrs []netip.Addr) (net.Conn, error) {
	var errs []error
	for i, a := range addrs {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if deadline, ok := ctx.Deadline(); ok && len(addrs)-i > 1 {
			remaining := time.Until(deadline)
			share := max(remaining/time.Duration(len(addrs)-i), min(2*time.Second, remaining))
			actx, cancel = context.WithTimeout(ctx, share)
		}
		conn, err := d.dial(actx, network, net.JoinHostPort(a.String(), port))
		cancel()
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("connect to %q: %w", host, errors.Join(errs...))
}
