// Command pulsebot turns crypto-market news feeds into deduplicated stories,
// a daily Market Pulse and a Discord bot. See README.md.
//
// main stays thin: it wires signals to a context and hands the arguments,
// environment and output streams to run, which tests call directly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // digests run at a server's local time, wherever pulsebot runs

	"github.com/pulsebot/pulsebot/bot"
	"github.com/pulsebot/pulsebot/config"
	"github.com/pulsebot/pulsebot/store"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed
	exitUsage = 2 // bad command line or configuration
)

// cli is what every command gets.
type cli struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	// now is the clock given to the store and jobs; tests set it.
	now func() time.Time
}

type command struct {
	summary string
	run     func(ctx context.Context, c *cli, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"run":        {"run the scheduler (ingest every PULSEBOT_INGEST_EVERY) until stopped", cmdRun},
		"ingest":     {"fetch every feed once and print a table per feed (--once)", cmdIngest},
		"stories":    {"list the top stories of a period", cmdStories},
		"sources":    {"show each feed's health", cmdSources},
		"score":      {"classify a headline: bullish, bearish or neutral, and why", cmdScore},
		"pulse":      {"show a day's Market Pulse (0-10), overall or for a coin", cmdPulse},
		"backfill":   {"compute and store the pulses of a range of days", cmdBackfill},
		"deliveries": {"list what was posted to Discord or waits to be, and why it failed (--state failed)", cmdDeliveries},
		"register":   {"register the slash commands with Discord (--guild ID for one server)", cmdRegister},
		"shell":      {"try the Discord commands locally: /pulse, /stories, /alerts… (-c runs one)", cmdShell},
		"migrate":    {"apply database migrations", cmdMigrate},
		"backup":     {"write a consistent copy of the live database to PATH", cmdBackup},
		"version":    {"print the version", cmdVersion},
		"help":       {"show this help", nil},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	c := &cli{getenv: getenv, stdin: os.Stdin, stdout: stdout, stderr: stderr, now: time.Now}
	return c.run(ctx, args)
}

func (c *cli) run(ctx context.Context, args []string) int {
	stdout, stderr := c.stdout, c.stderr
	cmds := commands()
	if len(args) == 0 {
		usage(stderr, cmds)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		usage(stdout, cmds)
		return exitOK
	}
	cmd, ok := cmds[name]
	if !ok || cmd.run == nil {
		fmt.Fprintf(stderr, "pulsebot: unknown command %q\n\n", name)
		usage(stderr, cmds)
		return exitUsage
	}
	return cmd.run(ctx, c, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "pulsebot: crypto-market news, stories and a daily Market Pulse for Discord.")
	fmt.Fprintln(w, "\nUsage: pulsebot <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'pulsebot <command> -h' for a command's flags. Configuration comes from the environment; see README.md.")
}

// flags makes a command's flag set; parse errors print its usage.
func (c *cli) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: pulsebot %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; ok=false means the caller returns code.
func (c *cli) parse(fs *flag.FlagSet, args []string, maxArgs int) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > maxArgs {
		fmt.Fprintf(c.stderr, "pulsebot %s: unexpected argument %q\n", fs.Name(), fs.Arg(maxArgs))
		fs.Usage()
		return exitUsage, false
	}
	return 0, true
}

// dbFlag and feedsFlag are the overrides every command that needs them
// takes, worded the same everywhere.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database file (overrides PULSEBOT_DB)")
}

func feedsFlag(fs *flag.FlagSet) *string {
	return fs.String("feeds", "", "feeds file (overrides PULSEBOT_FEEDS)")
}

// setup loads the configuration, applying --db and --feeds overrides, and
// opens the store. When it returns a nil store it has said why, and the
// command returns code: exitUsage for bad configuration, exitFail when
// the database can't be opened.
func (c *cli) setup(ctx context.Context, db, feeds string, opts store.Options) (config.Config, *store.Store, int) {
	cfg, err := config.Load(c.getenv)
	if err == nil && db != "" {
		cfg.DB = db
	}
	if err == nil && feeds != "" {
		err = cfg.SetFeedsFile(feeds)
	}
	if err != nil {
		fmt.Fprintln(c.stderr, "pulsebot: invalid configuration:")
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(c.stderr, "  "+line)
		}
		return cfg, nil, exitUsage
	}
	st, err := store.Open(ctx, cfg.DB, opts)
	if err != nil {
		fmt.Fprintf(c.stderr, "pulsebot: %v\n", err)
		return cfg, nil, exitFail
	}
	st.Now = c.now
	return cfg, st, exitOK
}

// logger logs to stderr; the Discord token is redacted from every line,
// whatever produced it.
func (c *cli) logger(cfg config.Config) *slog.Logger {
	h := slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	return slog.New(bot.RedactHandler(h, cfg.DiscordToken))
}

func (c *cli) fail(err error) int {
	fmt.Fprintf(c.stderr, "pulsebot: %v\n", err)
	return exitFail
}

func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				v += "+" + s.Value[:7]
			}
		}
	}
	return v
}

func userAgent() string {
	return "pulsebot/" + versionString() + " (+https://github.com/pulsebot/pulsebot)"
}
