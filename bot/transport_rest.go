package bot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// discordHosts are the hosts discordgo's endpoints name. discordgo computes
// its Endpoint* variables once from https://discord.com; they are never
// changed here (package state shared with every other session), the
// requests are redirected on their way out instead.
var discordHosts = []string{"discord.com", "discordapp.com"}

// rewriteTransport sends requests for Discord's hosts to base (the
// PULSEBOT_DISCORD_URL), keeping path and query.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := strings.ToLower(r.URL.Hostname())
	for _, h := range discordHosts {
		if host == h || host == "www."+h {
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
			if p := strings.TrimRight(t.base.Path, "/"); p != "" {
				r.URL.Path = p + r.URL.Path
				r.URL.RawPath = ""
			}
			break
		}
	}
	return t.next.RoundTrip(r)
}

// restTimeout bounds one REST call. discordgo retries 502s and waits out
// 429s inside a call, so this is generous; callers also pass a context.
const restTimeout = 30 * time.Second

// newSession returns a discordgo session (not opened) that talks to
// discordURL. token may be empty: HTTP interactions answer through the
// interaction webhook, which needs no bot token.
func newSession(token, discordURL string) (*discordgo.Session, error) {
	auth := ""
	if token != "" {
		auth = "Bot " + token
	}
	dg, err := discordgo.New(auth)
	if err != nil {
		return nil, fmt.Errorf("bot: new session: %w", err) // discordgo.New never fails in v0.29
	}
	// discordgo logs to the standard logger, bypassing slog and redaction,
	// and at debug level prints the IDENTIFY payload with the token. The
	// gateway's state is logged from its events instead (gateway.go).
	dg.LogLevel = -1
	dg.StateEnabled = false // nothing reads discordgo's state cache
	dg.Identify.Intents = discordgo.IntentsGuilds
	transport := http.DefaultTransport
	if discordURL != "" && discordURL != "https://discord.com" {
		base, err := url.Parse(discordURL)
		if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
			return nil, fmt.Errorf("bot: discord url %q is not an absolute http(s) URL", discordURL)
		}
		transport = &rewriteTransport{base: base, next: http.DefaultTransport}
	}
	dg.Client = &http.Client{Transport: transport, Timeout: restTimeout}
	return dg, nil
}
