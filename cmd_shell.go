package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/pulsebot/pulsebot/bot"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

func cmdShell(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("shell", "[-c '/command option:value'] [--db PATH] [--feeds FILE] [--charts DIR]")
	command := fs.String("c", "", "run one command and exit (non-zero on a usage error)")
	charts := fs.String("charts", "", "folder for /pulse charts (default: the system's temp folder)")
	db := dbFlag(fs)
	feeds := feedsFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	cfg, st, code := c.setup(ctx, *db, *feeds, store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	if c.getenv("PULSEBOT_LOG_LEVEL") == "" {
		// The shell's answers are the output; routine log lines would
		// interleave with them.
		cfg.LogLevel = slog.LevelWarn
	}
	log := c.logger(cfg)
	pulses := &pulsejob.Service{Store: st, Log: log, Now: st.Now}

	// A new user's first shell has an empty database: fetch the feeds
	// once so that every command has something to show.
	if n, err := st.CountArticles(ctx); err != nil {
		return c.fail(err)
	} else if n == 0 {
		fmt.Fprintf(c.stderr, "Empty database %s: fetching %d feeds once (later runs reuse it)…\n", cfg.DB, len(cfg.Feeds))
		ing, err := newIngester(ctx, cfg, st, log)
		if err != nil {
			return c.fail(err)
		}
		reports, err := ing.Run(ctx, jobs.RunOptions{})
		if err != nil && !errors.Is(err, jobs.ErrAllFailed) {
			return c.fail(err)
		}
		if errors.Is(err, jobs.ErrAllFailed) {
			printReports(c, reports)
			fmt.Fprintln(c.stderr, "pulsebot: every feed failed; the shell starts with no news")
		}
		if err := pulses.Refresh(ctx); err != nil {
			return c.fail(err)
		}
	}

	b := bot.New(st, pulses, log)
	b.Now = st.Now
	err := b.RunShell(ctx, bot.ShellOptions{In: c.stdin, Out: c.stdout, Command: *command, ChartDir: *charts})
	var ue *bot.UsageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(c.stderr, "pulsebot shell:", ue.Msg)
		return exitUsage
	case err != nil && ctx.Err() == nil:
		return c.fail(err)
	}
	return exitOK
}
