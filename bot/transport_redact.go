package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// The bot token is a password to the whole bot, and an interaction token
// (in the path of every callback and webhook URL) lets anyone answer as the
// bot for 15 minutes. Neither may reach a log line, an error or panic
// output. Three layers keep them out: discordgo's own logging is off (its
// debug level prints the IDENTIFY payload, token included); every error
// from discordgo goes through restError, which keeps what an operator needs
// (operation, status, Discord's code and message) and drops the request;
// and every log line pulsebot writes while serving goes through
// RedactHandler, which replaces the token and interaction-token paths
// wherever they appear, as a last net.

// interactionPath matches the secret part of interaction URLs:
// /interactions/{id}/{token}/callback and /webhooks/{app}/{token}.
var interactionPath = regexp.MustCompile(`/(interactions|webhooks)/([0-9]+)/[A-Za-z0-9_.\-]+`)

// redactor scrubs secrets out of text.
type redactor struct{ secrets []string }

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		// Very short "secrets" would blank out ordinary words.
		if len(s) >= 8 {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

func (r *redactor) scrub(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return interactionPath.ReplaceAllString(s, "/$1/$2/[token]")
}

// RedactHandler wraps a slog handler so that no record it passes on holds
// any of secrets (the bot token) or an interaction token: the message and
// every attribute value, errors and LogValuers included, are scrubbed.
// main wraps its root logger with it before building the Bot, so handler
// errors logged by Bot.Handle are covered too.
func RedactHandler(next slog.Handler, secrets ...string) slog.Handler {
	return &redactHandler{next: next, r: newRedactor(secrets...)}
}

type redactHandler struct {
	next slog.Handler
	r    *redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.scrub(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.scrub(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		// Errors, structs, byte slices: print them as the handler would,
		// then scrub the text. A value is never passed through unread.
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.r.scrub(x.Error()))
		case []byte:
			return slog.String(a.Key, h.r.scrub(string(x)))
		}
		return slog.String(a.Key, h.r.scrub(fmt.Sprintf("%+v", v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// DiscordError is a failed Discord REST call, as much of it as is safe to
// log: the operation, the HTTP status and Discord's JSON error code and
// message. The request (and its Authorization header) is not kept.
type DiscordError struct {
	Op      string // what pulsebot was doing: "respond to interaction", "register commands" …
	Status  int    // HTTP status; 0 when no response came
	Code    int    // Discord's JSON error code, 0 when none
	Message string // Discord's message, or the transport failure
	cause   error  // only context errors, for errors.Is
}

func (e *DiscordError) Error() string {
	switch {
	case e.Status == 0:
		return fmt.Sprintf("discord: %s: %s", e.Op, e.Message)
	case e.Code != 0:
		return fmt.Sprintf("discord: %s: HTTP %d: %s (code %d)", e.Op, e.Status, e.Message, e.Code)
	}
	return fmt.Sprintf("discord: %s: HTTP %d: %s", e.Op, e.Status, e.Message)
}

func (e *DiscordError) Unwrap() error { return e.cause }

// restError turns an error from discordgo into a *DiscordError with no
// secret in it; nil stays nil.
func restError(r *redactor, op string, err error) error {
	if err == nil {
		return nil
	}
	de := &DiscordError{Op: op}
	var rest *discordgo.RESTError
	var rl *discordgo.RateLimitError
	var ue *url.Error
	switch {
	case errors.As(err, &rest):
		if rest.Response != nil {
			de.Status = rest.Response.StatusCode
		}
		if rest.Message != nil {
			de.Code, de.Message = rest.Message.Code, rest.Message.Message
		} else {
			de.Message = string(rest.ResponseBody)
		}
		if len(de.Message) > 200 {
			de.Message = de.Message[:200] + "…"
		}
	case errors.As(err, &rl):
		de.Status = 429
		de.Message = "rate limited, retry after " + rl.RetryAfter.String()
	case errors.As(err, &ue):
		// The URL may hold an interaction token; the method and the cause
		// are what matter.
		de.Message = ue.Op + ": " + ue.Err.Error()
	default:
		de.Message = err.Error()
	}
	de.Message = r.scrub(de.Message)
	switch {
	case errors.Is(err, context.Canceled):
		de.cause = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		de.cause = context.DeadlineExceeded
	}
	return de
}
