package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs"
)

// logTap is a slog handler that hands every record's message to a channel.
type logTap struct {
	mu   sync.Mutex
	msgs chan string
}

func (l *logTap) Enabled(context.Context, slog.Level) bool { return true }
func (l *logTap) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	select {
	case l.msgs <- b.String():
	default:
	}
	return nil
}
func (l *logTap) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logTap) WithGroup(string) slog.Handler      { return l }

func waitFor(t *testing.T, msgs <-chan string, substr string) string {
	t.Helper()
	for m := range msgs {
		if strings.Contains(m, substr) {
			return m
		}
	}
	t.Fatalf("log never said %q", substr)
	return ""
}

// TestSchedulerRecoversSkipsAndStops: a panicking job is recovered and
// logged; a run that is still going makes the next tick skip instead of
// overlapping; cancelling the context waits for the running job.
func TestSchedulerRecoversSkipsAndStops(t *testing.T) {
	tap := &logTap{msgs: make(chan string, 100)}
	release := make(chan struct{})
	started := make(chan struct{}, 1) // a second concurrent run finds it full
	finished := make(chan struct{})
	var runs sync.WaitGroup
	s := &jobs.Scheduler{Log: slog.New(tap), Jobs: []jobs.Job{
		{Name: "boom", Schedule: "@every 1h", AtStart: true, Run: func(context.Context) error { panic("boom") }},
		{Name: "fails", Schedule: "@every 1h", AtStart: true, Run: func(context.Context) error { return errors.New("feed trouble") }},
		{Name: "slow", Schedule: "@every 1s", AtStart: true, Run: func(ctx context.Context) error {
			runs.Add(1)
			defer runs.Done()
			select {
			case started <- struct{}{}:
			default:
				t.Error("slow job ran twice at once")
			}
			<-release
			close(finished)
			return nil
		}},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()

	waitFor(t, tap.msgs, "panic")
	waitFor(t, tap.msgs, "feed trouble")
	<-started
	// The 1s tick fires while the start-up run is still going.
	waitFor(t, tap.msgs, "skipping")
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a job was still running")
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-finished
	runs.Wait()
}

func TestSchedulerRejectsBadSchedule(t *testing.T) {
	s := &jobs.Scheduler{Jobs: []jobs.Job{{Name: "x", Schedule: "every tuesday", Run: func(context.Context) error { return nil }}}}
	if err := s.Run(context.Background()); err == nil || !strings.Contains(err.Error(), `bad schedule "every tuesday"`) {
		t.Errorf("got %v", err)
	}
}

// TestSchedulerGraceThenCancel: at shutdown a running job keeps its
// context for the grace period, then it is cancelled, and Run returns.
func TestSchedulerGraceThenCancel(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan struct{})
	s := &jobs.Scheduler{Grace: 20 * time.Millisecond, Jobs: []jobs.Job{{
		Name: "long", Schedule: "@every 1h", AtStart: true,
		Run: func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			close(cancelled)
			return ctx.Err()
		},
	}}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-started
	cancel()
	<-cancelled
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSchedulerLetsRunningJobFinish: shutdown does not cut a running job
// short; within the grace period its context stays alive.
func TestSchedulerLetsRunningJobFinish(t *testing.T) {
	started := make(chan struct{})
	shutdown := make(chan struct{})
	var errAtShutdown error
	s := &jobs.Scheduler{Grace: time.Hour, Jobs: []jobs.Job{{
		Name: "ingest", Schedule: "@every 1h", AtStart: true,
		Run: func(ctx context.Context) error {
			close(started)
			<-shutdown
			errAtShutdown = ctx.Err()
			return nil
		},
	}}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-started
	cancel()
	close(shutdown)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if errAtShutdown != nil {
		t.Errorf("the running job's context was cancelled at shutdown: %v", errAtShutdown)
	}
}
