package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// Bot answers interactions. It is safe for concurrent use.
type Bot struct {
	Store  *store.Store
	Pulses *pulsejob.Service
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
	// routes maps a command path ("pulse", "alerts add") to its handler;
	// built by New.
	routes map[string]route
	// noChart leaves the chart out of /pulse, so the handler benchmark
	// measures the rest on its own (BenchmarkPulseChart measures charts).
	noChart bool
}

// Kind is what an interaction asks for.
type Kind int

const (
	KindCommand      Kind = iota + 1 // a slash command
	KindAutocomplete                 // suggestions for a focused option
)

// Interaction is one received interaction, flattened: subcommands folded
// into Command, options typed, who and where resolved. Built by
// FromDiscord from what any transport received.
type Interaction struct {
	Kind      Kind
	ID        string
	Token     string
	AppID     string
	GuildID   string // "" in DMs
	ChannelID string
	UserID    string
	UserName  string
	// Permissions are the member's permissions in the channel as Discord
	// computed them and sent them with the interaction (0 in DMs). They are
	// checked here, whatever default_member_permissions say.
	Permissions int64
	Command     string            // "pulse", "alerts add", "digest set"...
	Options     map[string]Option // by option name
	Focused     string            // autocomplete: the option being typed
	Locale      string
	Raw         *discordgo.Interaction
}

// Option is one typed option value.
type Option struct {
	Type  discordgo.ApplicationCommandOptionType
	Str   string  // string, and the id of channel, role, user and mentionable options
	Int   int64   // integer
	Num   float64 // number
	Bool  bool    // boolean
	Label string  // channel and role options: the resolved name ("alerts", "Traders"), for replies
}

// Reply is what a handler answers, before any transport renders it.
type Reply struct {
	Content   string
	Embeds    []*discordgo.MessageEmbed
	Files     []*discordgo.File
	Ephemeral bool
	// Choices answer an autocomplete interaction (≤ 25).
	Choices []*discordgo.ApplicationCommandOptionChoice
	// MentionRoles lists role ids this reply may ping (a digest's role);
	// nothing else is ever pinged: allowed_mentions.parse is always [].
	MentionRoles []string
}

// Handler answers one command. A *UserError becomes an ephemeral reply as
// it is; any other error becomes "Internal error (ref …)" with the same
// reference in the log.
type Handler func(ctx context.Context, in *Interaction) (Reply, error)

// route is a handler and what it needs.
type route struct {
	handle Handler
	// guildOnly commands refuse politely in DMs.
	guildOnly bool
	// perm, when non-zero, is the permission the member must hold
	// (checked from Interaction.Permissions, server side).
	perm int64
	// slow handlers (charts) are deferred by the transports: an ack
	// within Discord's 3 s, then an edit of the original response.
	slow bool
	// private routes always answer ephemerally, so their deferral is
	// ephemeral too and the edit replaces it in place (other deferrals are
	// public and an ephemeral answer has to replace them by a follow-up).
	private bool
	// complete answers autocomplete for this command's options.
	complete Handler
}

// UserError is a problem the user can fix, shown to them as is.
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

// Userf makes a UserError.
func Userf(format string, args ...any) error { return &UserError{Msg: fmt.Sprintf(format, args...)} }

// Slow reports whether the interaction's handler should be deferred.
func (b *Bot) Slow(in *Interaction) bool {
	r, ok := b.routes[in.Command]
	return ok && r.slow && in.Kind == KindCommand
}

// Private reports whether the interaction's answer is always ephemeral, so
// that a deferral can be ephemeral too.
func (b *Bot) Private(in *Interaction) bool {
	r, ok := b.routes[in.Command]
	return ok && r.private && in.Kind == KindCommand
}

// Handle routes an interaction to its handler and never fails: every error
// becomes a reply a person can read, and every reply is brought within
// Discord's limits.
func (b *Bot) Handle(ctx context.Context, in *Interaction) (reply Reply) {
	defer func() { reply = fitReply(reply) }()
	r, ok := b.routes[in.Command]
	if !ok {
		if in.Kind == KindAutocomplete {
			return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}
		}
		return errorReply(Userf("Unknown command /%s. Try /help.", in.Command))
	}
	defer func() {
		if p := recover(); p != nil {
			reply = b.internal(in, fmt.Errorf("panic: %v", p))
		}
	}()
	allowed := (!r.guildOnly || in.GuildID != "") && hasPerm(in.Permissions, r.perm)
	if in.Kind == KindAutocomplete {
		// Suggestions can reveal settings (alert ids and what they
		// match), so they follow the command's own rules.
		if r.complete == nil || !allowed {
			return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}
		}
		rep, err := r.complete(ctx, in)
		if err != nil {
			b.logger().Warn("autocomplete failed", "command", in.Command, "err", err)
			return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}
		}
		return rep
	}
	if r.guildOnly && in.GuildID == "" {
		return errorReply(Userf("/%s works in a server, not in DMs.", in.Command))
	}
	if !hasPerm(in.Permissions, r.perm) {
		return errorReply(Userf("You need the %s permission to use /%s.", permName(r.perm), in.Command))
	}
	rep, err := r.handle(ctx, in)
	if err != nil {
		var ue *UserError
		var pe *pulsejob.UserError
		switch {
		case errors.As(err, &ue):
			return errorReply(ue)
		case errors.As(err, &pe):
			return errorReply(Userf("%s", pe.Msg))
		}
		return b.internal(in, err)
	}
	return rep
}

// hasPerm reports whether permissions include need. Administrator
// includes everything, as on Discord.
func hasPerm(permissions, need int64) bool {
	return need == 0 || permissions&discordgo.PermissionAdministrator != 0 || permissions&need == need
}

func errorReply(err error) Reply {
	return Reply{Content: err.Error(), Ephemeral: true}
}

// internal logs an unexpected error under a fresh reference id and tells
// the user that id, never the error itself.
func (b *Bot) internal(in *Interaction, err error) Reply {
	ref := newRef()
	b.logger().Error("interaction failed", "ref", ref, "command", in.Command, "guild_id", in.GuildID, "user_id", in.UserID, "err", err)
	return Reply{Content: fmt.Sprintf("Internal error (ref %s). The operator can find it in the log.", ref), Ephemeral: true}
}

func newRef() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func permName(p int64) string {
	switch p {
	case discordgo.PermissionManageGuild:
		return "Manage Server"
	}
	return fmt.Sprintf("0x%x", p)
}

func (b *Bot) logger() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (b *Bot) now() time.Time {
	if b.Now != nil {
		return b.Now().UTC()
	}
	return time.Now().UTC()
}
