package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one unit of scheduled work. It gets the scheduler's context, which
// is cancelled at shutdown.
type Job struct {
	Name string
	// Schedule is a cron spec ("5 0 * * *", UTC) or "@every 10m".
	Schedule string
	// AtStart also runs the job once when the scheduler starts.
	AtStart bool
	Run     func(ctx context.Context) error
}

// Scheduler runs jobs on time with robfig/cron: every job recovers from
// panics and never overlaps with itself (a slow run makes the next one
// skip, not pile up). Once-per-day guarantees live in the database as
// unique keys, never here.
type Scheduler struct {
	Log  *slog.Logger
	Jobs []Job
	// Grace is how long a running job may go on after shutdown begins
	// before its context is cancelled; 0 means DefaultGrace.
	Grace time.Duration
}

// DefaultGrace lets an ingest that is under way finish its feeds (each
// fetch is bounded at 15 s) before shutdown cuts it short.
const DefaultGrace = 20 * time.Second

// Run starts the jobs and blocks until ctx is done. Then no new run
// starts, and running jobs get Grace to finish before their context is
// cancelled; Run returns when they have.
func (s *Scheduler) Run(ctx context.Context) error {
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	grace := s.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	// Jobs run under work, which outlives ctx by at most the grace period,
	// so in-flight work finishes at shutdown instead of being cut off.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
		case <-stopped:
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelWork()
		case <-stopped:
		}
	}()
	cl := cronLogger{log}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cl))
	var start []cron.Job
	for _, j := range s.Jobs {
		// One wrapper per job, shared by its cron entry and its start-up
		// run, so both see the same "still running" state.
		job := cron.NewChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)).Then(cron.FuncJob(func() { runJob(ctx, work, log, j) }))
		if _, err := c.AddJob(j.Schedule, job); err != nil {
			return fmt.Errorf("scheduler: job %s: bad schedule %q: %w", j.Name, j.Schedule, err)
		}
		if j.AtStart {
			start = append(start, job)
		}
	}
	c.Start()
	// Start-up runs go through the same chain, so a cron tick arriving
	// meanwhile is skipped instead of overlapping.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, j := range start {
			if ctx.Err() != nil {
				return
			}
			j.Run()
		}
	}()
	<-ctx.Done()
	<-done
	<-c.Stop().Done()
	return nil
}

// runJob runs one job under work unless shutdown (ctx) has begun.
func runJob(ctx, work context.Context, log *slog.Logger, j Job) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	if err := j.Run(work); err != nil && work.Err() == nil {
		log.Error("job failed", "job", j.Name, "err", err, "ms", time.Since(start).Milliseconds())
		return
	}
	log.Debug("job done", "job", j.Name, "ms", time.Since(start).Milliseconds())
}

// cronLogger adapts slog to cron's logger, which reports recovered panics
// and skipped runs.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		c.l.Warn("job still running; skipping this run", kv...)
		return
	}
	c.l.Debug("cron: "+msg, kv...)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
