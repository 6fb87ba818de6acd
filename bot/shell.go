package bot

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// ShellOptions configure RunShell.
type ShellOptions struct {
	In  io.Reader // lines to run, interactively (ignored with Command)
	Out io.Writer // answers, prompts and usage messages
	// Command, when set, is the one command line to run (pulsebot shell
	// -c '/pulse coin:BTC'); RunShell returns after it.
	Command string
	// ChartDir is where /pulse charts are written; "" means os.TempDir().
	ChartDir string
}

// RunShell runs slash commands typed as text against the bot, in a
// pretend server (channels #general #alerts #news, roles @Traders @Mods,
// and you have Manage Server): each line becomes the interaction Discord
// would send, goes through FromDiscord and Handle like any transport's,
// and the reply is printed as text, with charts saved as PNG files.
//
// With opts.Command it runs that line and returns a *UsageError if the
// line could not be understood. Otherwise it reads opts.In line by line,
// printing usage problems and going on, until EOF, "exit" or ctx ends.
func (b *Bot) RunShell(ctx context.Context, opts ShellOptions) error {
	sh := &shell{bot: b, srv: newShellServer(), cmds: Commands(), out: opts.Out, chartDir: opts.ChartDir}
	if sh.out == nil {
		sh.out = io.Discard
	}
	if sh.chartDir == "" {
		sh.chartDir = os.TempDir()
	}
	if opts.Command != "" {
		return sh.run(ctx, opts.Command)
	}
	if opts.In == nil {
		return &UsageError{Msg: "shell: no input and no command"}
	}
	fmt.Fprintf(sh.out, "pulsebot shell: slash commands in a pretend server (%s, %s; you have Manage Server).\n", names(sh.srv.channels, "#"), names(sh.srv.roles[:2], "@"))
	fmt.Fprintln(sh.out, "Type help for the syntax, /help for the commands, exit to leave.")
	sc := bufio.NewScanner(opts.In)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for {
		fmt.Fprint(sh.out, "> ")
		if !sc.Scan() {
			fmt.Fprintln(sh.out)
			return sc.Err()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimSpace(sc.Text())
		switch line {
		case "":
			continue
		case "exit", "quit":
			return nil
		case "help", "?":
			fmt.Fprint(sh.out, shellHelp(sh.srv))
			continue
		}
		if err := sh.run(ctx, line); err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				return err
			}
			fmt.Fprintf(sh.out, "usage: %s\n", ue.Msg)
		}
	}
}

func shellHelp(srv *shellServer) string {
	return `Type commands as in Discord: /name [subcommand] option:value …
  values with spaces in double quotes:  /alerts add keyword:"spot etf"
  channels and roles by name:           /digest set channel:#news time:08:30 role:@Traders
  booleans:                             silent:true
  suggestions (autocomplete):           /pulse coin:bit?
Channels: ` + names(srv.channels, "#") + `; roles: ` + names(srv.roles[:2], "@") + `.
/help lists the commands; exit or end of input leaves.
`
}

// shell is one RunShell session.
type shell struct {
	bot      *Bot
	srv      *shellServer
	cmds     []*discordgo.ApplicationCommand
	out      io.Writer
	chartDir string
}

// run parses, handles and prints one command line.
func (sh *shell) run(ctx context.Context, line string) error {
	di, err := sh.srv.parseShellLine(line, sh.cmds)
	if err != nil {
		return err
	}
	in, err := FromDiscord(di)
	if err != nil {
		return fmt.Errorf("shell: %w", err)
	}
	rep := sh.bot.Handle(ctx, in)
	return sh.print(rep)
}

// print writes a reply as readable text: markdown undone, links as
// "text <url>", Discord timestamps and mentions spelled out, embeds as
// title, description, fields and footer, and files saved to chartDir.
func (sh *shell) print(rep Reply) error {
	var b strings.Builder
	if rep.Choices != nil {
		if len(rep.Choices) == 0 {
			b.WriteString("No suggestions.\n")
		}
		for _, c := range rep.Choices {
			fmt.Fprintf(&b, "  %s  → %v\n", c.Name, c.Value)
		}
		_, err := io.WriteString(sh.out, b.String())
		return err
	}
	if rep.Ephemeral {
		b.WriteString("(only you can see this)\n")
	}
	if rep.Content != "" {
		b.WriteString(sh.plain(rep.Content) + "\n")
	}
	for _, e := range rep.Embeds {
		b.WriteString("\n━━ " + sh.plain(e.Title) + " ━━\n")
		if e.URL != "" {
			b.WriteString(e.URL + "\n")
		}
		if e.Description != "" {
			b.WriteString(sh.plain(e.Description) + "\n")
		}
		for _, f := range e.Fields {
			b.WriteString("\n▸ " + sh.plain(f.Name) + "\n")
			for _, l := range strings.Split(sh.plain(f.Value), "\n") {
				b.WriteString("  " + l + "\n")
			}
		}
		if e.Footer != nil && e.Footer.Text != "" {
			b.WriteString("\n" + e.Footer.Text + "\n")
		}
	}
	for _, f := range rep.Files {
		path, err := sh.saveFile(rep, f)
		if err != nil {
			return err
		}
		b.WriteString("Chart: " + path + "\n")
	}
	_, err := io.WriteString(sh.out, b.String())
	return err
}

// saveFile writes an attachment to chartDir, named after the first
// embed's title ("market-pulse-btc-bitcoin-2026-11-26.png").
func (sh *shell) saveFile(rep Reply, f *discordgo.File) (string, error) {
	base := "attachment"
	if len(rep.Embeds) > 0 {
		base = slug(rep.Embeds[0].Title)
	}
	path := filepath.Join(sh.chartDir, base+filepath.Ext(f.Name))
	if err := os.MkdirAll(sh.chartDir, 0o755); err != nil {
		return "", fmt.Errorf("shell: save chart: %w", err)
	}
	data, err := io.ReadAll(f.Reader)
	if err != nil {
		return "", fmt.Errorf("shell: save chart: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("shell: save chart: %w", err)
	}
	return path, nil
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "attachment"
	}
	return clip(b.String(), 80)
}

// angleMarkup matches the Discord markup the bot writes: timestamps,
// channel and role mentions.
var angleMarkup = regexp.MustCompile(`^<(?:t:(-?\d+)(?::([tTdDfFR]))?|#(\d+)|@&(\d+)|@!?(\d+))>`)

// plain undoes the bot's markdown for a terminal.
func (sh *shell) plain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '*':
			i++
		case c == '[':
			if text, url, n, ok := markdownLink(s[i:]); ok {
				b.WriteString(sh.plain(text) + " <" + url + ">")
				i += n
				continue
			}
			b.WriteByte(c)
			i++
		case c == '<':
			if m := angleMarkup.FindStringSubmatch(s[i:]); m != nil {
				b.WriteString(sh.angle(m))
				i += len(m[0])
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func (sh *shell) angle(m []string) string {
	switch {
	case m[1] != "":
		sec, _ := strconv.ParseInt(m[1], 10, 64)
		t := time.Unix(sec, 0).UTC()
		switch m[2] {
		case "R":
			return relative(t, sh.bot.now())
		case "d", "D":
			return t.Format(time.DateOnly)
		}
		return t.Format("2006-01-02 15:04 UTC")
	case m[3] != "":
		if c, ok := sh.srv.find(sh.srv.channels, m[3]); ok {
			return "#" + c.name
		}
		return "#" + m[3]
	case m[4] != "":
		if r, ok := sh.srv.find(sh.srv.roles, m[4]); ok {
			return "@" + r.name
		}
		return "@" + m[4]
	}
	return "@" + m[5]
}

// relative says how long ago (or from now) t is, as Discord's "R" style.
func relative(t, now time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	default:
		s = plural(int(d/(24*time.Hour)), "day")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// markdownLink parses "[text](url)" at the start of s, honouring escapes
// in text; n is its length.
func markdownLink(s string) (text, url string, n int, ok bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ']':
			if i+1 >= len(s) || s[i+1] != '(' {
				return "", "", 0, false
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				return "", "", 0, false
			}
			return s[1:i], s[i+2 : i+2+end], i + 3 + end, true
		}
	}
	return "", "", 0, false
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
