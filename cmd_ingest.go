package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/pulsebot/pulsebot/config"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// newIngester syncs the configured feeds into the store and returns the
// ingest job.
func newIngester(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*jobs.Ingester, error) {
	client, err := safehttp.New(safehttp.Options{
		AllowPrivate: cfg.AllowPrivate,
		AllowFiles:   true, // feed URLs come only from the operator's config
		UserAgent:    userAgent(),
	})
	if err != nil {
		return nil, err
	}
	specs := make([]store.SourceSpec, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		specs = append(specs, store.SourceSpec{URL: f.URL, Name: f.Name, Outlet: ingest.Outlet(f.URL)})
	}
	if err := st.SyncSources(ctx, specs); err != nil {
		return nil, err
	}
	return &jobs.Ingester{Store: st, Client: client, Log: log, Now: st.Now}, nil
}

func cmdIngest(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("ingest", "--once [--db PATH] [--feeds FILE] [--force]")
	once := fs.Bool("once", false, "fetch every due feed once, print a table and exit (required)")
	force := fs.Bool("force", false, "also fetch feeds that are backing off after failures")
	db := dbFlag(fs)
	feeds := feedsFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	if !*once {
		fmt.Fprintln(c.stderr, "pulsebot ingest: only --once is supported; use 'pulsebot run' to ingest on a schedule")
		fs.Usage()
		return exitUsage
	}
	cfg, st, code := c.setup(ctx, *db, *feeds, store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	ing, err := newIngester(ctx, cfg, st, c.logger(cfg))
	if err != nil {
		return c.fail(err)
	}
	reports, err := ing.Run(ctx, jobs.RunOptions{Force: *force})
	printReports(c, reports)
	if err == nil || errors.Is(err, jobs.ErrAllFailed) {
		// Keep the pulses current, as 'run' does after each ingest.
		if perr := (&pulsejob.Service{Store: st, Now: st.Now}).Refresh(ctx); perr != nil {
			return c.fail(perr)
		}
	}
	switch {
	case errors.Is(err, jobs.ErrAllFailed):
		fmt.Fprintln(c.stderr, "pulsebot: every feed failed")
		return exitFail
	case err != nil:
		return c.fail(err)
	}
	return exitOK
}

func printReports(c *cli, reports []jobs.FeedReport) {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tSTATUS\tNEW\tUPDATED\tMS\tERROR")
	var newTotal, updTotal int
	for _, r := range reports {
		name := r.Source.Name
		if name == "" {
			name = r.Source.URL
		}
		msg := ""
		switch {
		case r.Err != nil:
			msg = r.Err.Error()
		case r.Status == "skipped":
			msg = "backing off until " + r.Until.Format(time.RFC3339) + " (--force to fetch now)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", truncate(name, 40), r.Status, r.New, r.Updated, r.Duration.Milliseconds(), msg)
		newTotal += r.New
		updTotal += r.Updated
	}
	fmt.Fprintf(tw, "TOTAL\t\t%d\t%d\t\t\n", newTotal, updTotal)
	tw.Flush()
}

// truncate cuts s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
