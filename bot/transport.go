package bot

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Timing of an answer. Discord drops an interaction that isn't
// acknowledged within 3 s of being sent; after an acknowledgement the
// interaction token stays valid for 15 minutes.
const (
	// DeferAfter is how long a command not marked slow may take before it
	// is deferred anyway: a type-5 acknowledgement, then an edit of the
	// original response once the reply is ready. It leaves a second for the
	// network and the callback itself.
	DeferAfter = 2 * time.Second
	// autocompleteTimeout bounds suggestions, which cannot be deferred: an
	// empty list in time beats a full one too late.
	autocompleteTimeout = 2 * time.Second
	// handlerTimeout bounds one command handler, well inside the
	// interaction token's 15 minutes.
	handlerTimeout = 2 * time.Minute
)

// firstAnswer delivers the initial response to an interaction: a callback
// over REST (gateway), or the HTTP response body (HTTP interactions).
type firstAnswer func(ctx context.Context, resp *discordgo.InteractionResponse) error

// answerer answers interactions the same way whatever transport brought
// them: route through Bot.Handle, respond at once when the reply is ready
// in time, otherwise acknowledge (deferred) and edit the original later.
// Edits and follow-ups go through the interaction webhook, which needs no
// bot token.
type answerer struct {
	b          *Bot
	dg         *discordgo.Session // REST for edits, deletes and follow-ups
	m          *metrics
	log        *slog.Logger
	red        *redactor
	deferAfter time.Duration
	// beforeHandle, when set (tests), runs in the handler goroutine just
	// before Bot.Handle.
	beforeHandle func(*Interaction)
}

// answer answers one interaction and returns when the answer is complete
// (for a deferred command, after the edit). It owns the handler goroutine
// it starts and waits for it on every path.
func (a *answerer) answer(ctx context.Context, transport string, in *Interaction, first firstAnswer) {
	log := a.log.With("transport", transport, "command", in.Command, "interaction_id", in.ID, "guild_id", in.GuildID)
	if in.Kind == KindAutocomplete {
		actx, cancel := context.WithTimeout(ctx, autocompleteTimeout)
		rep := a.handle(actx, in, log)
		cancel()
		choices := rep.Choices
		if choices == nil {
			choices = []*discordgo.ApplicationCommandOptionChoice{}
		}
		if len(choices) > 25 {
			choices = choices[:25]
		}
		err := first(ctx, &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices},
		})
		a.done(log, in, transport, outcomeOK, "", restError(a.red, "answer autocomplete", err))
		return
	}

	hctx, cancel := context.WithTimeout(ctx, handlerTimeout)
	defer cancel()
	replies := make(chan Reply, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				replies <- a.panicked(log, p)
			}
		}()
		replies <- a.handle(hctx, in, log)
	}()

	var rep Reply
	reason := ""
	if a.b.Slow(in) {
		reason = "slow"
	} else {
		t := time.NewTimer(a.deferAfter)
		select {
		case rep = <-replies:
			t.Stop()
		case <-t.C:
			reason = "timer"
		}
	}
	if reason == "" {
		err := first(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: rep.ResponseData()})
		a.done(log, in, transport, outcomeOf(rep), "", restError(a.red, "respond to interaction", err))
		return
	}

	a.m.deferred.WithLabelValues(a.m.label(in.Command), reason).Inc()
	private := a.b.Private(in)
	deferral := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if private {
		deferral.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := first(ctx, deferral); err != nil {
		cancel() // nobody will see the reply
		<-replies
		a.done(log, in, transport, "", reason, restError(a.red, "defer interaction", err))
		return
	}
	rep = <-replies
	a.done(log, in, transport, outcomeOf(rep), reason, a.finish(ctx, in, rep, private))
}

// handle runs Bot.Handle and measures it. Handle recovers panics in
// handlers itself; a panic here (a test hook, a bug in this file) is
// recovered by the caller's goroutine.
func (a *answerer) handle(ctx context.Context, in *Interaction, log *slog.Logger) Reply {
	if a.beforeHandle != nil {
		a.beforeHandle(in)
	}
	start := time.Now()
	rep := a.b.Handle(ctx, in)
	if in.Kind == KindCommand {
		a.m.latency.WithLabelValues(a.m.label(in.Command)).Observe(time.Since(start).Seconds())
	}
	return rep
}

// finish replaces a deferred response with the reply. A private route's
// deferral was ephemeral already, so the edit stays with the asker.
// Otherwise the deferral was public (its flags can't be known before the
// handler returns), so an ephemeral reply, typically a user error, is sent
// as an ephemeral follow-up and the public placeholder is deleted: an
// error meant for one person never shows in the channel.
func (a *answerer) finish(ctx context.Context, in *Interaction, rep Reply, deferredEphemeral bool) error {
	opt := discordgo.WithContext(ctx)
	files, err := bufferFiles(rep.Files)
	if err != nil {
		return fmt.Errorf("bot: read reply files: %w", err)
	}
	if !rep.Ephemeral || deferredEphemeral {
		return a.untilKnown(ctx, func() error {
			edit := rep.WebhookEdit()
			edit.Files = files()
			_, err := a.dg.InteractionResponseEdit(in.Raw, edit, opt)
			return restError(a.red, "edit deferred response", err)
		})
	}
	err = a.untilKnown(ctx, func() error {
		return restError(a.red, "delete deferred response", a.dg.InteractionResponseDelete(in.Raw, opt))
	})
	if err != nil {
		return err
	}
	_, err = a.dg.FollowupMessageCreate(in.Raw, false, &discordgo.WebhookParams{
		Content:         rep.Content,
		Embeds:          rep.Embeds,
		Files:           files(),
		AllowedMentions: AllowedMentions(rep.MentionRoles),
		Flags:           discordgo.MessageFlagsEphemeral,
	}, opt)
	return restError(a.red, "send ephemeral follow-up", err)
}

// bufferFiles reads the files' contents once and returns a function that
// gives fresh copies for each attempt (a reader is spent by the first).
func bufferFiles(fs []*discordgo.File) (func() []*discordgo.File, error) {
	data := make([][]byte, len(fs))
	for i, f := range fs {
		b, err := io.ReadAll(f.Reader)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		data[i] = b
	}
	return func() []*discordgo.File {
		if len(fs) == 0 {
			return nil
		}
		out := make([]*discordgo.File, len(fs))
		for i, f := range fs {
			out[i] = &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(data[i])}
		}
		return out
	}, nil
}

// unknownRetries are the waits before retrying a webhook call that Discord
// answered "unknown": over HTTP interactions the deferral is the HTTP
// response, and Discord may not have processed it when the edit (from a
// handler that failed fast) arrives. About 1.5 s in all.
var unknownRetries = [...]time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}

// untilKnown runs call, retrying while Discord doesn't know the
// interaction's message or webhook yet.
func (a *answerer) untilKnown(ctx context.Context, call func() error) error {
	err := call()
	for _, wait := range unknownRetries {
		var de *DiscordError
		if !errors.As(err, &de) || de.Status != http.StatusNotFound || (de.Code != 10008 && de.Code != 10015 && de.Code != 10062) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		err = call()
	}
	return err
}

// done counts and logs how an interaction ended.
func (a *answerer) done(log *slog.Logger, in *Interaction, transport, outcome, deferred string, err error) {
	if err != nil {
		outcome = outcomeRespondFailed
		log.Warn("interaction answer failed", "deferred", deferred, "err", err)
	} else {
		log.Debug("interaction answered", "outcome", outcome, "deferred", deferred)
	}
	a.m.count(in.Command, transport, outcome)
}

// panicked logs a recovered panic, scrubbed of secrets, and returns the
// reply the user gets instead.
func (a *answerer) panicked(log *slog.Logger, p any) Reply {
	ref := panicRef()
	log.Error("panic while answering an interaction", "ref", ref,
		"panic", a.red.scrub(fmt.Sprint(p)), "stack", a.red.scrub(string(debug.Stack())))
	return Reply{Content: fmt.Sprintf("Internal error (ref %s). The operator can find it in the log.", ref), Ephemeral: true}
}

// recoverGoroutine is deferred at the top of every goroutine the
// transports start (discordgo does not recover handler panics: one would
// end the process and print its value, unscrubbed, to stderr).
func (a *answerer) recoverGoroutine(where string) {
	if p := recover(); p != nil {
		a.log.Error("panic in "+where, "panic", a.red.scrub(fmt.Sprint(p)), "stack", a.red.scrub(string(debug.Stack())))
	}
}

func panicRef() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
