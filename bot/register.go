package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

// Meta keys of the last registration. Discord rate-limits command
// registration (and a global overwrite takes a while to reach every
// client), so it is sent only when something changed.
const (
	metaCommandsHash  = "commands_hash"  // sha256 of app id, guild id and the commands' JSON
	metaCommandsGuild = "commands_guild" // guild registered to; "" for global
)

// commandsPayload is the bulk overwrite's body. discordgo encodes
// default_member_permissions as a JSON string (",string"); Discord's
// OpenAPI description types it as an integer (or null), which the API
// accepts, so the body sends the number.
func commandsPayload(cmds []*discordgo.ApplicationCommand) ([]byte, error) {
	raw, err := json.Marshal(cmds)
	if err != nil {
		return nil, fmt.Errorf("bot: encode commands: %w", err)
	}
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &objs); err != nil {
		return nil, fmt.Errorf("bot: encode commands: %w", err)
	}
	for _, o := range objs {
		var perm string
		if v, ok := o["default_member_permissions"]; ok && json.Unmarshal(v, &perm) == nil {
			if _, err := strconv.ParseUint(perm, 10, 53); err != nil {
				return nil, fmt.Errorf("bot: encode commands: default_member_permissions %q is not a permission set", perm)
			}
			o["default_member_permissions"] = json.RawMessage(perm)
		}
	}
	return json.Marshal(objs)
}

// commandsHash identifies a registration: the same commands for the same
// application in the same scope hash the same.
func commandsHash(appID, guildID string, cmds []*discordgo.ApplicationCommand) (string, error) {
	body, err := commandsPayload(cmds)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", appID, guildID)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// registrar overwrites the application's commands in one bulk call.
type registrar struct {
	dg    *discordgo.Session
	st    *store.Store
	red   *redactor
	log   *slog.Logger
	count func() // counts an overwrite (metrics); may be nil
}

// ensure registers cmds unless the stored hash says Discord already has
// exactly these.
func (r *registrar) ensure(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error {
	sum, err := commandsHash(appID, guildID, cmds)
	if err != nil {
		return err
	}
	old, err := r.st.Meta(ctx, metaCommandsHash)
	switch {
	case err == nil && old == sum:
		r.log.Info("commands unchanged, not registering", "commands", len(cmds), "guild_id", guildID)
		return nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		// Registering once too often is harmless; not registering isn't.
		r.log.Warn("commands hash unreadable, registering", "err", err)
	}
	return r.overwrite(ctx, appID, guildID, cmds, sum)
}

// overwrite replaces the scope's commands and records the hash.
func (r *registrar) overwrite(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand, sum string) error {
	if sum == "" {
		var err error
		if sum, err = commandsHash(appID, guildID, cmds); err != nil {
			return err
		}
	}
	// ApplicationCommandBulkOverwrite's request, with commandsPayload's
	// body.
	body, err := commandsPayload(cmds)
	if err != nil {
		return err
	}
	endpoint := discordgo.EndpointApplicationGlobalCommands(appID)
	if guildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(appID, guildID)
	}
	resp, err := r.dg.RequestWithBucketID("PUT", endpoint, json.RawMessage(body), endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return restError(r.red, "register commands", err)
	}
	// Only counted: decoding into discordgo's types would trip on a
	// server that echoes default_member_permissions as a number.
	var got []json.RawMessage
	if err := json.Unmarshal(resp, &got); err != nil {
		return fmt.Errorf("bot: register commands: decode Discord's answer: %w", err)
	}
	if r.count != nil {
		r.count()
	}
	if err := r.st.SetMeta(ctx, metaCommandsHash, sum); err != nil {
		return fmt.Errorf("bot: register commands: %w", err)
	}
	if err := r.st.SetMeta(ctx, metaCommandsGuild, guildID); err != nil {
		return fmt.Errorf("bot: register commands: %w", err)
	}
	r.log.Info("commands registered", "commands", len(got), "guild_id", guildID)
	return nil
}

// lookupAppID asks Discord for the application behind the token.
func lookupAppID(ctx context.Context, dg *discordgo.Session, red *redactor) (string, error) {
	// Session.Application takes no context in discordgo v0.29.
	body, err := dg.RequestWithBucketID("GET", discordgo.EndpointOAuth2Application("@me"), nil,
		discordgo.EndpointOAuth2Application(""), discordgo.WithContext(ctx))
	if err != nil {
		return "", restError(red, "look up application id", err)
	}
	var app struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &app); err != nil || app.ID == "" {
		return "", errors.New("bot: look up application id: Discord returned none")
	}
	return app.ID, nil
}

// Register overwrites the application's commands with Commands(), globally
// or (guildID != "") in one guild, whatever the stored hash says, and
// stores the new hash so that the next Serve doesn't register again. It is
// `pulsebot register [--guild ID]`; it needs cfg.Token, and takes the
// application id from cfg.AppID or, when empty, from Discord.
func Register(ctx context.Context, b *Bot, cfg ServeConfig, guildID string) error {
	if cfg.Token == "" {
		return errors.New("bot: register: DISCORD_TOKEN is not set")
	}
	log := serveLogger(cfg)
	red := newRedactor(cfg.Token)
	dg, err := newSession(cfg.Token, cfg.DiscordURL)
	if err != nil {
		return err
	}
	appID := cfg.AppID
	if appID == "" {
		if appID, err = lookupAppID(ctx, dg, red); err != nil {
			return err
		}
	}
	r := &registrar{dg: dg, st: b.Store, red: red, log: log}
	return r.overwrite(ctx, appID, guildID, cfg.commandSet(), "")
}
