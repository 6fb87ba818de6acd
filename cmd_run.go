package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/pulsebot/pulsebot/bot"
	"github.com/pulsebot/pulsebot/config"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/deliver"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// cmdRun is the long-running service: the scheduler (ingest, live pulse,
// daily finalization) and, when configured, the Discord bot and the HTTP
// server. SIGINT/SIGTERM cancel ctx; in-flight work finishes, then the
// store is closed.
func cmdRun(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("run", "[--db PATH] [--feeds FILE]")
	db := dbFlag(fs)
	feeds := feedsFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	cfg, st, code := c.setup(ctx, *db, *feeds, store.Options{})
	if st == nil {
		return code
	}
	log := c.logger(cfg)
	defer st.Close()
	ing, err := newIngester(ctx, cfg, st, log)
	if err != nil {
		return c.fail(err)
	}
	log.Info("pulsebot starting", "version", versionString(), "config", cfg)
	pulses := &pulsejob.Service{Store: st, Log: log, Now: st.Now}
	plan, wake := deliveryPlanner(cfg, st, pulses, log)
	sched := &jobs.Scheduler{Log: log, Jobs: []jobs.Job{{
		Name:     "ingest",
		Schedule: "@every " + cfg.IngestEvery.String(),
		AtStart:  true,
		Run: func(ctx context.Context) error {
			reports, err := ing.Run(ctx, jobs.RunOptions{})
			var n, fails int
			for _, r := range reports {
				n += r.New
				if r.Status == "error" {
					fails++
				}
			}
			// Today's pulse is live: recomputed after every ingest, even
			// a partly failed one.
			if perr := pulses.Refresh(ctx); perr != nil {
				err = errors.Join(err, perr)
			}
			log.Info("ingest done", "feeds", len(reports), "failed", fails, "new", n)
			// New stories go out as alerts at once, not at the next minute.
			return errors.Join(err, plan(ctx))
		},
	}, {
		// Yesterday's pulse becomes final at 00:05 UTC, once.
		Name:     "finalize pulses",
		Schedule: "5 0 * * *",
		Run:      pulses.Refresh,
	}, {
		// Digests are due at each server's local time, to the minute.
		Name:     "plan deliveries",
		Schedule: "@every 1m",
		Run:      plan,
	}}}
	b := bot.New(st, pulses, log)
	b.Now = st.Now

	// The scheduler and the bot run side by side; a fatal bot error (a
	// refused token) stops both, loudly.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var schedErr, serveErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		schedErr = sched.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		if serveErr = bot.Serve(ctx, b, serveConfig(cfg, c, wake)); serveErr != nil {
			cancel()
		}
	}()
	wg.Wait()
	if err := errors.Join(schedErr, serveErr); err != nil {
		return c.fail(err)
	}
	log.Info("pulsebot stopped")
	return exitOK
}

func serveConfig(cfg config.Config, c *cli, wake <-chan struct{}) bot.ServeConfig {
	return bot.ServeConfig{
		Token: cfg.DiscordToken, AppID: cfg.DiscordAppID, DiscordURL: cfg.DiscordURL,
		HTTPAddr: cfg.HTTPAddr, PublicKey: cfg.PublicKey, Log: c.logger(cfg), Wake: wake,
	}
}

// deliveryPlanner returns the job that plans alerts, follows and digests
// into the outbox, and the channel that wakes the bot's sender when it
// planned something. Without a bot token nothing can be posted, so nothing
// is planned either: a backlog would flood the channels the day a token is
// set.
func deliveryPlanner(cfg config.Config, st *store.Store, pulses *pulsejob.Service, log *slog.Logger) (func(context.Context) error, chan struct{}) {
	wake := make(chan struct{}, 1)
	if cfg.DiscordToken == "" {
		return func(context.Context) error { return nil }, wake
	}
	p := &deliver.Planner{Store: st, Pulses: pulses, Log: log, Now: st.Now}
	var mu sync.Mutex // the ingest job and the minute job may both plan
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		n, err := p.Plan(ctx)
		if n.Total() > 0 {
			log.Info("deliveries planned", "stories", n.Stories, "follows", n.Follows, "pulse_alerts", n.Pulses, "digests", n.Digests)
			select {
			case wake <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
		return err
	}, wake
}

// cmdRegister registers the slash commands with Discord (one bulk
// overwrite), globally or in one guild.
func cmdRegister(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("register", "[--guild ID] [--db PATH]")
	guild := fs.String("guild", "", "register in this server only (changes show at once; for testing)")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	cfg, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	if cfg.DiscordToken == "" {
		fmt.Fprintln(c.stderr, "pulsebot register: needs DISCORD_TOKEN or DISCORD_TOKEN_FILE")
		return exitUsage
	}
	log := c.logger(cfg)
	b := bot.New(st, &pulsejob.Service{Store: st, Now: st.Now}, log)
	if err := bot.Register(ctx, b, serveConfig(cfg, c, nil), *guild); err != nil {
		return c.fail(err)
	}
	where := "globally (Discord may take up to an hour to show changes)"
	if *guild != "" {
		where = "in server " + *guild
	}
	fmt.Fprintf(c.stdout, "registered %d commands %s\n", len(bot.Commands()), where)
	return exitOK
}
