package discordtest

import (
	"encoding/base64"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Interaction describes an interaction for the fake to send. Build it with
// SlashCommand, Autocomplete or Button, then adjust fields or pass context
// Options (InGuild, InDM, By, WithPermissions …). Empty fields get
// defaults when the Server turns it into JSON: a fresh id and token, the
// first configured guild and its first text channel, DefaultUser and
// DefaultMemberPermissions.
type Interaction struct {
	Type discordgo.InteractionType

	ID, Token          string
	GuildID, ChannelID string
	DM                 bool // invoked in the bot's DM: "user" instead of "member", no guild
	User               User
	Permissions        string   // the member's permissions in the channel (guild only)
	Roles              []string // the member's role ids (guild only)
	AppPermissions     string   // the bot's permissions in the channel
	Locale             string   // the user's client locale; default "en-US"

	name     string        // command name
	cmdType  int           // 1 chat input
	options  []interOption // command options
	customID string        // component
	compType int
	message  string // id of the message a component sits on
}

// interOption is one option of an application command interaction.
type interOption struct {
	Type    discordgo.ApplicationCommandOptionType
	Name    string
	Value   any
	Focused bool
	Options []interOption
}

// Option shapes an Interaction: a command option (StringOpt, Sub, …) or a
// context setting (InGuild, By, …). Command options nest inside Sub and
// Group; context settings apply wherever they appear.
type Option func(*optionScope)

type optionScope struct {
	in   *Interaction
	opts *[]interOption
}

func apply(in *Interaction, dst *[]interOption, opts []Option) {
	sc := &optionScope{in: in, opts: dst}
	for _, o := range opts {
		o(sc)
	}
}

// SlashCommand is a CHAT_INPUT application command interaction (type 2).
func SlashCommand(name string, opts ...Option) Interaction {
	in := Interaction{Type: discordgo.InteractionApplicationCommand, name: name, cmdType: 1}
	apply(&in, &in.options, opts)
	return in
}

// Autocomplete is an APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4):
// the command being typed, with one option marked by Focused.
func Autocomplete(name string, opts ...Option) Interaction {
	in := SlashCommand(name, opts...)
	in.Type = discordgo.InteractionApplicationCommandAutocomplete
	return in
}

// Button is a MESSAGE_COMPONENT interaction (type 3) for a button click.
// messageID is the message the button is on ("" = a generated one).
func Button(customID, messageID string, opts ...Option) Interaction {
	in := Interaction{Type: discordgo.InteractionMessageComponent, customID: customID, compType: int(discordgo.ButtonComponent), message: messageID}
	apply(&in, &in.options, opts)
	return in
}

func valueOpt(t discordgo.ApplicationCommandOptionType, name string, v any) Option {
	return func(sc *optionScope) { *sc.opts = append(*sc.opts, interOption{Type: t, Name: name, Value: v}) }
}

// StringOpt is a STRING option (type 3).
func StringOpt(name, v string) Option {
	return valueOpt(discordgo.ApplicationCommandOptionString, name, v)
}

// IntOpt is an INTEGER option (type 4), sent as a JSON number.
func IntOpt(name string, v int64) Option {
	return valueOpt(discordgo.ApplicationCommandOptionInteger, name, v)
}

// NumberOpt is a NUMBER option (type 10).
func NumberOpt(name string, v float64) Option {
	return valueOpt(discordgo.ApplicationCommandOptionNumber, name, v)
}

// BoolOpt is a BOOLEAN option (type 5).
func BoolOpt(name string, v bool) Option {
	return valueOpt(discordgo.ApplicationCommandOptionBoolean, name, v)
}

// UserOpt is a USER option (type 6): the id as value, the user (and, in a
// guild, a partial member) in data.resolved.
func UserOpt(name string, u User) Option {
	return valueOpt(discordgo.ApplicationCommandOptionUser, name, u)
}

// ChannelOpt is a CHANNEL option (type 7): the id as value, the channel in
// data.resolved (looked up among the configured guilds' channels).
func ChannelOpt(name, channelID string) Option {
	return valueOpt(discordgo.ApplicationCommandOptionChannel, name, channelID)
}

// RoleOpt is a ROLE option (type 8): the id as value, the role in
// data.resolved.
func RoleOpt(name, roleID string) Option {
	return valueOpt(discordgo.ApplicationCommandOptionRole, name, roleID)
}

// Focused is the option being typed in an Autocomplete interaction: Discord
// sends the partial input as a string, whatever the option's type.
func Focused(name, partial string) Option {
	return func(sc *optionScope) {
		*sc.opts = append(*sc.opts, interOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Value: partial, Focused: true})
	}
}

// Sub is a SUB_COMMAND (type 1) holding its own options.
func Sub(name string, opts ...Option) Option {
	return func(sc *optionScope) {
		o := interOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Options: []interOption{}}
		apply(sc.in, &o.Options, opts)
		*sc.opts = append(*sc.opts, o)
	}
}

// Group is a SUB_COMMAND_GROUP (type 2) holding Subs.
func Group(name string, subs ...Option) Option {
	return func(sc *optionScope) {
		o := interOption{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: name}
		apply(sc.in, &o.Options, subs)
		*sc.opts = append(*sc.opts, o)
	}
}

// InGuild sets where the interaction happens ("" channel = the guild's
// first text channel).
func InGuild(guildID, channelID string) Option {
	return func(sc *optionScope) { sc.in.GuildID, sc.in.ChannelID, sc.in.DM = guildID, channelID, false }
}

// InDM makes the interaction come from the user's DM with the bot.
func InDM() Option { return func(sc *optionScope) { sc.in.DM, sc.in.GuildID = true, "" } }

// By sets the invoking user.
func By(u User) Option { return func(sc *optionScope) { sc.in.User = u } }

// WithPermissions sets the member's permission bitfield (decimal string,
// e.g. "8" for ADMINISTRATOR).
func WithPermissions(p string) Option { return func(sc *optionScope) { sc.in.Permissions = p } }

// WithRoles sets the member's role ids.
func WithRoles(ids ...string) Option { return func(sc *optionScope) { sc.in.Roles = ids } }

// WithLocale sets the user's locale.
func WithLocale(l string) Option { return func(sc *optionScope) { sc.in.Locale = l } }

// interactionToken looks like Discord's: base64 of "interaction:<id>:…".
func interactionToken(id string) string {
	return "aW50ZXJhY3Rpb246" + base64.RawURLEncoding.EncodeToString([]byte(id+":discordtest-"+id[len(id)-6:]))
}

// completeLocked fills an interaction's defaults. s.mu must be held.
func (s *Server) completeLocked(in *Interaction) {
	if in.ID == "" {
		in.ID = s.newID()
	}
	if in.Token == "" {
		in.Token = interactionToken(in.ID)
	}
	if in.User.ID == "" {
		in.User = DefaultUser()
	}
	if in.Locale == "" {
		in.Locale = "en-US"
	}
	if in.AppPermissions == "" {
		in.AppPermissions = DefaultMemberPermissions
	}
	if in.DM {
		in.GuildID = ""
		if in.ChannelID == "" {
			in.ChannelID = s.dmChannelLocked(in.User.ID)
		}
		return
	}
	if in.GuildID == "" && len(s.opts.Guilds) > 0 {
		in.GuildID = s.opts.Guilds[0].ID
	}
	if in.ChannelID == "" {
		for _, g := range s.opts.Guilds {
			if g.ID != in.GuildID {
				continue
			}
			for _, c := range g.Channels {
				if c.Type == 0 {
					in.ChannelID = c.ID
					break
				}
			}
		}
	}
	if in.Permissions == "" {
		in.Permissions = DefaultMemberPermissions
	}
}

// interactionJSONLocked is the INTERACTION_CREATE payload, shaped like what
// Discord sends today (ids and permissions as strings). s.mu must be held.
func (s *Server) interactionJSONLocked(in Interaction) map[string]any {
	m := map[string]any{
		"id": in.ID, "application_id": s.opts.AppID, "type": int(in.Type), "token": in.Token, "version": 1,
		"channel_id": in.ChannelID, "locale": in.Locale, "app_permissions": in.AppPermissions,
		"entitlements": []any{}, "entitlement_sku_ids": []any{}, "attachment_size_limit": 10485760,
	}
	ch := s.rest.channels[in.ChannelID]
	if in.DM {
		m["user"] = userJSON(in.User)
		m["context"] = 1 // BOT_DM
		m["authorizing_integration_owners"] = map[string]string{"0": "0"}
		m["channel"] = map[string]any{"id": in.ChannelID, "type": 1, "flags": 0, "last_message_id": nil,
			"recipients": []any{userJSON(in.User)}}
	} else {
		member := s.memberJSON(in.User, in.Roles, in.Permissions, in.GuildID)
		member["user"] = userJSON(in.User)
		member["deaf"], member["mute"] = false, false
		m["member"] = member
		m["guild_id"] = in.GuildID
		m["guild_locale"] = "en-US"
		m["guild"] = map[string]any{"id": in.GuildID, "locale": "en-US", "features": []any{}}
		m["context"] = 0 // GUILD
		m["authorizing_integration_owners"] = map[string]string{"0": in.GuildID}
		if ch.id != "" {
			c := s.channelJSON(ch, false)
			c["permissions"] = in.Permissions
			m["channel"] = c
		}
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		m["data"] = s.commandDataLocked(in)
	case discordgo.InteractionMessageComponent:
		msgID := in.message
		if msgID == "" {
			msgID = s.newID()
		}
		m["data"] = map[string]any{"custom_id": in.customID, "component_type": in.compType}
		m["message"] = map[string]any{
			"id": msgID, "channel_id": in.ChannelID, "type": 0, "content": "", "author": s.botUserJSON(false),
			"embeds": []any{}, "attachments": []any{}, "components": []any{}, "mentions": []any{}, "mention_roles": []any{},
			"pinned": false, "mention_everyone": false, "tts": false, "flags": 0,
			"timestamp": timestamp(snowflakeTime(msgID)), "edited_timestamp": nil,
		}
	}
	return m
}

func (s *Server) commandDataLocked(in Interaction) map[string]any {
	id, guildScoped := s.commandIDLocked(in.name, in.GuildID)
	d := map[string]any{"id": id, "name": in.name, "type": in.cmdType}
	res := resolved{}
	if len(in.options) > 0 {
		d["options"] = s.optionsJSON(in, in.options, &res)
	}
	if !res.empty() {
		d["resolved"] = res.json()
	}
	if guildScoped {
		d["guild_id"] = in.GuildID
	}
	return d
}

// commandIDLocked finds the id Discord would send: the registered command of
// that name (guild-scoped first), or a fresh id for an unregistered one.
func (s *Server) commandIDLocked(name, guildID string) (string, bool) {
	for _, scope := range []string{guildID, ""} {
		for _, c := range s.rest.commands[scope] {
			if c["name"] == name {
				id, _ := c["id"].(string)
				return id, scope != ""
			}
		}
	}
	return s.newID(), false
}

type resolved struct {
	users, members, channels, roles map[string]any
}

func (r resolved) empty() bool {
	return len(r.users)+len(r.members)+len(r.channels)+len(r.roles) == 0
}

func (r resolved) json() map[string]any {
	m := map[string]any{}
	for k, v := range map[string]map[string]any{"users": r.users, "members": r.members, "channels": r.channels, "roles": r.roles} {
		if len(v) > 0 {
			m[k] = v
		}
	}
	return m
}

func put(m *map[string]any, id string, v any) {
	if *m == nil {
		*m = map[string]any{}
	}
	(*m)[id] = v
}

func (s *Server) optionsJSON(in Interaction, opts []interOption, res *resolved) []map[string]any {
	out := make([]map[string]any, 0, len(opts))
	for _, o := range opts {
		m := map[string]any{"name": o.Name, "type": int(o.Type)}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			m["options"] = s.optionsJSON(in, o.Options, res)
		case discordgo.ApplicationCommandOptionUser:
			u := o.Value.(User)
			m["value"] = u.ID
			put(&res.users, u.ID, userJSON(u))
			if !in.DM {
				put(&res.members, u.ID, s.memberJSON(u, nil, DefaultMemberPermissions, in.GuildID))
			}
		case discordgo.ApplicationCommandOptionChannel:
			id := o.Value.(string)
			m["value"] = id
			ch, ok := s.rest.channels[id]
			if !ok {
				ch = channelInfo{id: id, guildID: in.GuildID, name: "channel-" + id}
			}
			c := map[string]any{"id": ch.id, "name": ch.name, "type": ch.typ, "permissions": DefaultMemberPermissions,
				"guild_id": ch.guildID, "parent_id": nilIfEmpty(ch.parentID), "flags": 0}
			put(&res.channels, id, c)
		case discordgo.ApplicationCommandOptionRole:
			id := o.Value.(string)
			m["value"] = id
			r := Role{ID: id, Name: "role-" + id, Permissions: "0"}
			for _, g := range s.opts.Guilds {
				for _, gr := range g.Roles {
					if gr.ID == id {
						r = gr
					}
				}
			}
			put(&res.roles, id, roleJSON(r))
		default:
			m["value"] = o.Value
		}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

// describe names an interaction in messages: "/pulse", "autocomplete /pulse",
// "button pulse:next".
func describe(in Interaction) string {
	switch in.Type {
	case discordgo.InteractionApplicationCommand:
		return "/" + in.name
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete /" + in.name
	case discordgo.InteractionMessageComponent:
		return "button " + in.customID
	}
	return "interaction type " + strconv.Itoa(int(in.Type))
}
