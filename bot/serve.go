package bot

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
)

// ServeConfig configures Serve and Register. Which transports run follows
// from what is set: Token opens the gateway (and registers commands);
// PublicKey with an HTTP address serves signed HTTP interactions; an HTTP
// address serves /healthz and /metrics.
type ServeConfig struct {
	Token      string            // DISCORD_TOKEN, without "Bot "; secret
	AppID      string            // DISCORD_APP_ID; "" = from READY or Discord's API
	DiscordURL string            // PULSEBOT_DISCORD_URL; "" = https://discord.com
	HTTPAddr   string            // PULSEBOT_HTTP_ADDR; "" = no HTTP server
	PublicKey  ed25519.PublicKey // PULSEBOT_PUBLIC_KEY: enables POST /interactions
	// GuildID registers the commands in one guild instead of globally
	// (updates show at once there; for development).
	GuildID string
	Log     *slog.Logger
	// Registry receives the bot's metrics; nil = a registry of its own.
	// Either way GET /metrics serves it.
	Registry *prometheus.Registry
	// Listener, when set, is used instead of listening on HTTPAddr (tests,
	// socket activation). Serve closes it.
	Listener net.Listener
	// ShutdownTimeout is how long in-flight interactions get to finish
	// once ctx is done, before their contexts are cancelled; 0 = 10 s.
	ShutdownTimeout time.Duration
	// Wake tells the delivery sender that the planner (jobs/deliver) added
	// posts to the outbox; without it the sender looks every 30 s.
	// Deliveries need the bot token: with HTTP interactions only, nothing
	// is posted.
	Wake <-chan struct{}

	// Test hooks.
	deferAfter   time.Duration                          // 0 = DeferAfter
	retryBase    time.Duration                          // first gateway retry delay; 0 = 1 s
	commands     func() []*discordgo.ApplicationCommand // nil = Commands
	beforeHandle func(*Interaction)
	onReady      func() // called once the transports are up (after registration)
	onShutdown   func() // called when shutdown begins
}

// String prints the configuration with the token redacted, so printing a
// ServeConfig (%v, %+v, %s) can't leak it.
func (c ServeConfig) String() string {
	token := ""
	if c.Token != "" {
		token = "[redacted]"
	}
	return fmt.Sprintf("bot.ServeConfig{Token:%s AppID:%s DiscordURL:%s HTTPAddr:%s PublicKey:%x GuildID:%s}",
		token, c.AppID, c.DiscordURL, c.HTTPAddr, []byte(c.PublicKey), c.GuildID)
}

// GoString keeps %#v from printing the token either.
func (c ServeConfig) GoString() string { return c.String() }

// LogValue makes slog print the redacted form.
func (c ServeConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c ServeConfig) commandSet() []*discordgo.ApplicationCommand {
	if c.commands != nil {
		return c.commands()
	}
	return Commands()
}

// serveLogger is cfg.Log behind RedactHandler, so nothing Serve logs can
// hold the token or an interaction token.
func serveLogger(cfg ServeConfig) *slog.Logger {
	l := cfg.Log
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return slog.New(RedactHandler(l.Handler(), cfg.Token)).With("component", "discord")
}

// Serve runs the bot's Discord transports until ctx is done, then shuts
// down gracefully: no new interactions are taken, those in flight finish
// (for up to ShutdownTimeout), and Serve returns. It returns early only
// when a transport can't start at all (the HTTP address can't be listened
// on, the token is refused). With neither a token nor a public key,
// discordOff is the one line an operator sees when no Discord transport is
// configured.
const discordOff = "Discord is off: set DISCORD_TOKEN for the gateway, or PULSEBOT_HTTP_ADDR and PULSEBOT_PUBLIC_KEY for HTTP interactions; ingest and the pulse go on"

// Discord is off: Serve logs that once and returns nil, or, with an HTTP
// address, serves only /healthz and /metrics until ctx is done.
//
// Serve never mutates b; it needs b.Store for the commands hash and
// /healthz. The logger b was built with should be wrapped with
// RedactHandler too (Bot.Handle logs handler errors through it).
func Serve(ctx context.Context, b *Bot, cfg ServeConfig) error {
	log := serveLogger(cfg)
	listen := cfg.HTTPAddr != "" || cfg.Listener != nil
	if cfg.Token == "" && len(cfg.PublicKey) == 0 {
		if !listen {
			log.Info(discordOff)
			return nil
		}
		log.Info(discordOff + "; serving /healthz and /metrics only")
	}
	if len(cfg.PublicKey) > 0 && !listen {
		return errors.New("bot: serve: PULSEBOT_PUBLIC_KEY needs PULSEBOT_HTTP_ADDR")
	}
	if len(cfg.PublicKey) > 0 && len(cfg.PublicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("bot: serve: public key has %d bytes, want %d", len(cfg.PublicKey), ed25519.PublicKeySize)
	}

	red := newRedactor(cfg.Token)
	dg, err := newSession(cfg.Token, cfg.DiscordURL)
	if err != nil {
		return err
	}
	cmds := cfg.commandSet()
	a := &answerer{
		b: b, dg: dg, m: newMetrics(cfg.Registry, cmds), log: log, red: red,
		deferAfter: cfg.deferAfter, beforeHandle: cfg.beforeHandle,
	}
	if a.deferAfter <= 0 {
		a.deferAfter = DeferAfter
	}
	// Answers in flight at shutdown keep their context for a grace period;
	// ctx's cancellation only stops new work.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	flight := &inflight{}

	var gw *gateway // nil: no gateway ("off" in /healthz)
	if cfg.Token != "" {
		gw = newGateway(work, dg, a, flight, log)
	}
	var srv *http.Server
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	if listen {
		ln := cfg.Listener
		if ln == nil {
			if ln, err = net.Listen("tcp", cfg.HTTPAddr); err != nil {
				return fmt.Errorf("bot: serve: listen on %s: %w", cfg.HTTPAddr, err)
			}
		}
		hs := &httpServer{a: a, flight: flight, work: work, log: log, now: time.Now, gw: gw.state}
		if len(cfg.PublicKey) > 0 {
			hs.key = cfg.PublicKey
		}
		srv = newHTTPServer(hs.handler(), log)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer a.recoverGoroutine("http server")
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				select {
				case errs <- fmt.Errorf("bot: serve http: %w", err):
				default:
				}
			}
		}()
		log.Info("http server listening", "addr", ln.Addr().String(), "interactions", hs.key != nil)
	}

	var runErr error
	if gw != nil {
		retry := cfg.retryBase
		if retry <= 0 {
			retry = time.Second
		}
		if err := gw.open(ctx, retry); err != nil {
			runErr = err
		} else if ctx.Err() == nil {
			registerAtStart(ctx, gw, a, b, cfg, cmds, red, log)
		}
	}

	if runErr == nil && gw != nil {
		snd := newSender(b, dg, red, log, a.m)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer a.recoverGoroutine("delivery sender")
			snd.run(ctx, work, cfg.Wake)
		}()
	} else if runErr == nil && cfg.Token == "" {
		log.Info("alerts, follows and digests are not posted: posting needs DISCORD_TOKEN")
	}
	if runErr == nil && cfg.onReady != nil {
		cfg.onReady()
	}
	if runErr == nil {
		select {
		case <-ctx.Done():
		case runErr = <-errs:
		}
	}

	// Shutdown: stop taking interactions, then let those in flight finish.
	log.Info("discord transports shutting down")
	if cfg.onShutdown != nil {
		cfg.onShutdown()
	}
	grace := cfg.ShutdownTimeout
	if grace <= 0 {
		grace = 10 * time.Second
	}
	deadline, cancelDeadline := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancelDeadline()
	if srv != nil {
		if err := srv.Shutdown(deadline); err != nil {
			srv.Close()
		}
	}
	if gw != nil {
		gw.close()
	}
	if !flight.closeAndWait(deadline) {
		log.Warn("in-flight interactions outlived the shutdown timeout; cancelling them", "timeout", grace)
		cancelWork()
		flight.closeAndWait(context.Background())
	}
	wg.Wait()
	log.Info("discord transports stopped")
	return runErr
}

// registerAtStart registers the commands when they changed. A failure is
// logged, not fatal: Discord keeps the previous registration, and the next
// start tries again (the hash is stored only on success).
func registerAtStart(ctx context.Context, g *gateway, a *answerer, b *Bot, cfg ServeConfig, cmds []*discordgo.ApplicationCommand, red *redactor, log *slog.Logger) {
	appID := cfg.AppID
	if appID == "" {
		appID = g.appID(ctx)
	}
	if appID == "" {
		var err error
		if appID, err = lookupAppID(ctx, g.dg, red); err != nil {
			log.Error("commands not registered: no application id", "err", err)
			return
		}
	}
	r := &registrar{dg: g.dg, st: b.Store, red: red, log: log, count: a.m.overwrites.Inc}
	if err := r.ensure(ctx, appID, cfg.GuildID, cmds); err != nil {
		log.Error("commands not registered", "err", err)
	}
}

// inflight counts interactions being answered, so shutdown can wait for
// them. After close, begin refuses: a WaitGroup must not grow once Wait
// has started.
type inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (f *inflight) begin() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *inflight) end() { f.wg.Done() }

// closeAndWait refuses new work and waits for the rest; false if ctx ended
// first.
func (f *inflight) closeAndWait(ctx context.Context) bool {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	done := make(chan struct{})
	go func() {
		f.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}
