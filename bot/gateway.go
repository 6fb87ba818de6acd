package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// gateway is the bot's discordgo session: one shard, intents Guilds only
// (interactions need no intent; Guilds keeps the bot's server list, and no
// privileged intent is ever asked for). discordgo reconnects and resumes
// by itself; gateway watches it through its events for logs and metrics.
type gateway struct {
	dg     *discordgo.Session
	a      *answerer
	flight *inflight
	work   context.Context // outlives Serve's ctx until in-flight answers are done
	log    *slog.Logger

	connected atomic.Bool
	ready     chan string // application ids from READY, for the app id lookup
	remove    []func()    // discordgo handler removers
}

func newGateway(work context.Context, dg *discordgo.Session, a *answerer, flight *inflight, log *slog.Logger) *gateway {
	g := &gateway{dg: dg, a: a, flight: flight, work: work, log: log, ready: make(chan string, 1)}
	g.remove = []func(){
		dg.AddHandler(g.onReady),
		dg.AddHandler(g.onConnect),
		dg.AddHandler(g.onDisconnect),
		dg.AddHandler(g.onResumed),
		dg.AddHandler(g.onRateLimit),
		dg.AddHandler(g.onInteraction),
	}
	return g
}

// errFatalGateway marks gateway errors that retrying can't fix.
var errFatalGateway = errors.New("bot: gateway refused the bot")

// open connects, retrying transient failures with exponential backoff from
// base up to a minute, until ctx is done. A refused token or intents is
// fatal: Discord will refuse it again.
func (g *gateway) open(ctx context.Context, base time.Duration) error {
	wait := base
	for {
		err := g.dg.Open()
		if err == nil {
			return nil
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			switch ce.Code {
			case 4004:
				return fmt.Errorf("%w: authentication failed (check DISCORD_TOKEN)", errFatalGateway)
			case 4013, 4014:
				return fmt.Errorf("%w: intents refused (code %d)", errFatalGateway, ce.Code)
			}
		}
		derr := restError(g.a.red, "open gateway", err)
		var de *DiscordError
		if errors.As(derr, &de) && de.Status == 401 {
			return fmt.Errorf("%w: %v (check DISCORD_TOKEN)", errFatalGateway, derr)
		}
		g.log.Warn("gateway connect failed, retrying", "err", derr, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, time.Minute)
	}
}

// appID waits for the application id the READY of this session carried.
func (g *gateway) appID(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	select {
	case id := <-g.ready:
		return id
	case <-ctx.Done():
		return ""
	}
}

// close stops listening for events and closes the connection. Interactions
// already being answered go on (their REST calls don't need the gateway).
func (g *gateway) close() {
	for _, rm := range g.remove {
		rm()
	}
	if err := g.dg.Close(); err != nil {
		g.log.Warn("gateway close", "err", restError(g.a.red, "close gateway", err))
	}
	g.connected.Store(false)
	g.a.m.gatewayUp.Set(0)
}

func (g *gateway) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer g.a.recoverGoroutine("gateway READY handler")
	app := ""
	if r.Application != nil {
		app = r.Application.ID
	}
	g.log.Info("gateway ready", "guilds", len(r.Guilds), "application_id", app)
	if app != "" {
		select {
		case g.ready <- app:
		default:
		}
	}
}

func (g *gateway) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	g.connected.Store(true)
	g.a.m.gatewayUp.Set(1)
	g.a.m.connects.Inc()
	g.log.Info("gateway connected")
}

func (g *gateway) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	g.connected.Store(false)
	g.a.m.gatewayUp.Set(0)
	g.a.m.disconnects.Inc()
	g.log.Info("gateway disconnected")
}

func (g *gateway) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	g.a.m.resumes.Inc()
	g.log.Info("gateway session resumed")
}

func (g *gateway) onRateLimit(_ *discordgo.Session, rl *discordgo.RateLimit) {
	// rl.URL may hold an interaction token; the redacting logger scrubs it.
	g.log.Warn("discord rate limit", "url", rl.URL, "retry_after", rl.RetryAfter)
}

// onInteraction runs in its own goroutine (discordgo starts one per event).
func (g *gateway) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer g.a.recoverGoroutine("gateway interaction handler")
	if ic == nil || ic.Interaction == nil {
		return
	}
	in, err := FromDiscord(ic.Interaction)
	if err != nil {
		// Nothing sensible can be answered (no user, no command data, an
		// interaction type pulsebot doesn't register). Not answering lets
		// Discord show its own failure.
		g.log.Warn("malformed interaction refused", "interaction_id", ic.ID, "type", int(ic.Type), "err", err)
		g.a.m.count("", "gateway", outcomeMalformed)
		return
	}
	if !g.flight.begin() {
		g.log.Warn("interaction arrived during shutdown, not answered", "command", in.Command, "interaction_id", in.ID)
		g.a.m.count(in.Command, "gateway", outcomeShutdown)
		return
	}
	defer g.flight.end()
	g.a.answer(g.work, "gateway", in, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
		// No waiting out a rate limit here: it would pass the 3 s.
		return g.dg.InteractionRespond(in.Raw, resp, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	})
}

// state is the gateway state for /healthz.
func (g *gateway) state() string {
	if g == nil {
		return "off"
	}
	if g.connected.Load() {
		return "connected"
	}
	return "disconnected"
}
