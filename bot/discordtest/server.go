package discordtest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a fake Discord. The zero value is usable: every empty
// field gets a realistic default.
type Options struct {
	AppID     string // application (client) id; default "1300000000000000001"
	BotUserID string // the bot user's id; default AppID, as for every modern app
	BotName   string // the bot user's username; default "pulsebot"
	Token     string // bot token without the "Bot " prefix; default "test-token"

	// Guilds the bot is in. nil gives one guild, "Test Guild", with a
	// #general text channel.
	Guilds []Guild

	// OpenAPISpec is the path of Discord's openapi.json. When set, every
	// REST request is validated against it (and so is every interaction
	// response the bot returns over HTTP); "" turns validation off.
	OpenAPISpec string

	// HeartbeatInterval sent in HELLO; default 41.25s like Discord. Tests of
	// heartbeating set it to a few milliseconds.
	HeartbeatInterval time.Duration

	// PrivilegedIntents is the set of privileged intents (GUILD_MEMBERS,
	// GUILD_PRESENCES, MESSAGE_CONTENT) enabled for the app in the developer
	// portal. IDENTIFY asking for any other privileged intent is closed with
	// 4014, as Discord does.
	PrivilegedIntents int

	// ApplicationFlags is application.flags in READY and in the application
	// object.
	ApplicationFlags int
}

// Guild is a guild the bot is a member of. Empty ids are generated.
type Guild struct {
	ID, Name    string
	OwnerID     string // default: the default interaction user
	Channels    []Channel
	Roles       []Role // @everyone (id = guild id) is added when missing
	MemberCount int    // default 2: the bot and the default user
}

// Channel is a guild channel. Type is Discord's channel type (0 = text).
type Channel struct {
	ID, Name string
	Type     int
	ParentID string
	Topic    string
}

// Role is a guild role. Permissions is Discord's decimal bitfield string.
type Role struct {
	ID, Name    string
	Permissions string
	Position    int
	Color       int
}

// User is a Discord user as far as interactions need one.
type User struct {
	ID, Username, GlobalName string
	Bot                      bool
}

// DefaultUser is who invokes interactions unless a builder says otherwise.
func DefaultUser() User {
	return User{ID: "1300000000000000100", Username: "alice", GlobalName: "Alice"}
}

// DefaultMemberPermissions is the member permission bitfield interactions
// carry by default: what @everyone has in a fresh guild's text channel
// (view, send, embed, attach, history, reactions, external emoji, use
// application commands …), without any moderation permission.
const DefaultMemberPermissions = "1799872721570881"

// Intent bits the fake treats as privileged.
const (
	IntentGuildMembers   = 1 << 1
	IntentGuildPresences = 1 << 8
	IntentMessageContent = 1 << 15
	privilegedIntents    = IntentGuildMembers | IntentGuildPresences | IntentMessageContent
)

// discordEpochMs is the snowflake epoch (2015-01-01) and idBaseMs the fixed
// instant (2025-11-02T09:00Z) the fake's snowflakes start from, both in Unix
// milliseconds, so ids (and timestamps derived from them) are the same on
// every run.
const (
	discordEpochMs = 1420070400000
	idBaseMs       = 1762074000000
)

// Server is an in-process fake of Discord's REST API and gateway. Create it
// with New; it is closed by tb.Cleanup.
type Server struct {
	tb    testing.TB
	opts  Options
	srv   *httptest.Server
	wsURL string
	spec  *spec
	key   ed25519.PrivateKey

	wg sync.WaitGroup // gateway connections, which httptest stops tracking once hijacked

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change; see Until
	closed  bool
	nextSeq int64 // snowflake sequence
	gw      gatewayState
	rest    restState
}

// New starts a fake Discord on loopback and registers its shutdown with
// tb.Cleanup. Register the bot's own cleanup (session.Close) after New so it
// runs first.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	opts = withDefaults(opts)
	seed := sha256.Sum256([]byte("discordtest:" + opts.AppID))
	s := &Server{
		tb:      tb,
		opts:    opts,
		key:     ed25519.NewKeyFromSeed(seed[:]),
		changed: make(chan struct{}),
	}
	s.rest.init()
	for i := range s.opts.Guilds {
		s.completeGuild(&s.opts.Guilds[i])
	}
	if opts.OpenAPISpec != "" {
		sp, err := loadSpec(opts.OpenAPISpec)
		if err != nil {
			tb.Fatalf("discordtest: %v", err)
		}
		if sp.firstLoad {
			tb.Logf("discordtest: loaded OpenAPI spec %s in %v (once per test binary)", opts.OpenAPISpec, sp.loadTime)
		}
		s.spec = sp
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.wsURL = "ws" + strings.TrimPrefix(s.srv.URL, "http") + gatewayPath
	tb.Cleanup(s.close)
	return s
}

func withDefaults(o Options) Options {
	if o.AppID == "" {
		o.AppID = "1300000000000000001"
	}
	if o.BotUserID == "" {
		o.BotUserID = o.AppID
	}
	if o.BotName == "" {
		o.BotName = "pulsebot"
	}
	if o.Token == "" {
		o.Token = "test-token"
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = 41250 * time.Millisecond
	}
	if o.Guilds == nil {
		o.Guilds = []Guild{{
			ID: "1300000000000000010", Name: "Test Guild",
			Channels: []Channel{{ID: "1300000000000000011", Name: "general"}},
		}}
	}
	// Copy so that completing defaults never writes into the caller's slices.
	gs := make([]Guild, len(o.Guilds))
	for i, g := range o.Guilds {
		g.Channels = append([]Channel(nil), g.Channels...)
		g.Roles = append([]Role(nil), g.Roles...)
		gs[i] = g
	}
	o.Guilds = gs
	return o
}

// completeGuild fills the generated parts of a configured guild and indexes
// its channels. Called from New before the server is shared.
func (s *Server) completeGuild(g *Guild) {
	if g.ID == "" {
		g.ID = s.newID()
	}
	if g.Name == "" {
		g.Name = "Guild " + g.ID
	}
	if g.OwnerID == "" {
		g.OwnerID = DefaultUser().ID
	}
	if g.MemberCount == 0 {
		g.MemberCount = 2
	}
	hasEveryone := false
	for i := range g.Roles {
		if g.Roles[i].ID == "" {
			g.Roles[i].ID = s.newID()
		}
		if g.Roles[i].ID == g.ID {
			hasEveryone = true
		}
		if g.Roles[i].Permissions == "" {
			g.Roles[i].Permissions = "0"
		}
	}
	if !hasEveryone {
		g.Roles = append([]Role{{ID: g.ID, Name: "@everyone", Permissions: DefaultMemberPermissions}}, g.Roles...)
	}
	for i := range g.Channels {
		c := &g.Channels[i]
		if c.ID == "" {
			c.ID = s.newID()
		}
		if c.Name == "" {
			c.Name = "channel-" + c.ID
		}
		s.rest.channels[c.ID] = channelInfo{id: c.ID, guildID: g.ID, name: c.Name, typ: c.Type, parentID: c.ParentID, topic: c.Topic, position: i}
	}
}

// URL is the fake's http base URL, to put where https://discord.com was.
func (s *Server) URL() string { return s.srv.URL }

// GatewayURL is the ws:// URL that GET /gateway answers with.
func (s *Server) GatewayURL() string { return s.wsURL }

// Options returns the options after defaults were filled in (ids of
// generated guilds and channels included).
func (s *Server) Options() Options { return s.opts }

// PublicKey is the application's public key: interactions the fake posts
// over HTTP are signed with the matching private key, and
// GET /oauth2/applications/@me reports it as verify_key.
func (s *Server) PublicKey() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Sign returns the hex X-Signature-Ed25519 for body sent at timestamp, for
// tests that craft their own HTTP interaction requests.
func (s *Server) Sign(timestamp string, body []byte) string {
	return fmt.Sprintf("%x", ed25519.Sign(s.key, append([]byte(timestamp), body...)))
}

// Until blocks until cond returns true or ctx is done. cond is evaluated
// now and again after every change of the fake's state (a gateway frame, a
// request, a callback), so it must only read the Server through its
// methods. It is the primitive behind every Wait method; use it for
// conditions they don't cover, e.g. Until(ctx, func() bool { return
// s.Heartbeats() >= 3 }).
func (s *Server) Until(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed // taken before cond runs, so no change is missed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: wait: %w", ctx.Err())
		}
	}
}

// waitLocked is Until for conditions on internal state; cond runs with
// s.mu held.
func (s *Server) waitLocked(ctx context.Context, what string, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: wait for %s: %w", what, ctx.Err())
		}
	}
}

// notifyLocked wakes every waiter. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newID returns the next snowflake; s.mu must be held (or the server not
// yet shared). The timestamp part advances one millisecond per id from a
// fixed instant, so ids are deterministic, increasing and decode to
// plausible creation times.
func (s *Server) newID() string {
	s.nextSeq++
	ms := idBaseMs - discordEpochMs + s.nextSeq
	return strconv.FormatInt(ms<<22|1<<17|s.nextSeq&0xfff, 10)
}

// snowflakeTime is the creation time encoded in a snowflake id.
func snowflakeTime(id string) time.Time {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return time.UnixMilli(idBaseMs)
	}
	return time.UnixMilli(discordEpochMs + n>>22)
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

// serveHTTP routes the gateway upgrade and the REST API.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// discordgo appends a slash to the URL from GET /gateway.
	if r.URL.Path == gatewayPath || r.URL.Path == gatewayPath+"/" {
		s.serveGateway(w, r)
		return
	}
	s.serveREST(w, r)
}

func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*gwConn, 0, len(s.gw.conns))
	for c := range s.gw.conns {
		conns = append(conns, c)
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.NetConn().Close()
	}
	s.wg.Wait()
	s.srv.Close()
}
