package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// The shell's command language is what a person types into Discord:
//
//	/name [subcommand] option:value option:"value with spaces" …
//
// parseShellLine turns one line into the *discordgo.Interaction Discord
// would send for it, in a pretend server, so the shell runs the same
// FromDiscord → Handle path as the gateway and HTTP transports. Like
// Discord it checks command and option names, required options and value
// types, and resolves channels and roles; unlike Discord it leaves value
// ranges and choices to the bot, so the shell shows the bot's own
// messages for them. An option value ending in "?" asks for autocomplete
// suggestions instead ("/pulse coin:bit?").

// UsageError is a shell command line that could not be understood; main
// exits non-zero on it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// shellServer is the pretend Discord server the shell's commands run in.
type shellServer struct {
	guildID   string
	channelID string // where commands are typed (#general)
	channels  []shellEntity
	roles     []shellEntity
	userID    string
	userName  string
	perms     int64
	dm        bool // commands arrive as DMs (no server, no member)
	seq       int  // interaction ids
}

type shellEntity struct{ id, name string }

// newShellServer is the shell's server: fixed ids, three text channels,
// two roles, and the person at the keyboard has Manage Server.
func newShellServer() *shellServer {
	return &shellServer{
		guildID:   "900000000000000001",
		channelID: "900000000000000010",
		channels: []shellEntity{
			{"900000000000000010", "general"}, {"900000000000000011", "alerts"}, {"900000000000000012", "news"},
		},
		roles: []shellEntity{
			{"900000000000000020", "Traders"}, {"900000000000000021", "Mods"},
			{"900000000000000001", "everyone"}, // Discord's @everyone role has the server's id
		},
		userID:   "900000000000000100",
		userName: "you",
		perms:    discordgo.PermissionManageGuild | discordgo.PermissionSendMessages | discordgo.PermissionViewChannel,
	}
}

func (s *shellServer) find(list []shellEntity, name string) (shellEntity, bool) {
	for _, e := range list {
		if strings.EqualFold(e.name, name) || e.id == name {
			return e, true
		}
	}
	return shellEntity{}, false
}

func names(list []shellEntity, prefix string) string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = prefix + e.name
	}
	return strings.Join(out, " ")
}

// shellToken is one word of a command line. colon is the byte offset of
// the first ':' outside quotes, or -1.
type shellToken struct {
	text  string
	colon int
}

// tokenize splits a line at spaces outside double quotes. Inside quotes,
// \" and \\ stand for " and \.
func tokenize(line string) ([]shellToken, error) {
	var (
		out     []shellToken
		cur     strings.Builder
		colon   = -1
		inQuote bool
		started bool
	)
	flush := func() {
		if started {
			out = append(out, shellToken{text: cur.String(), colon: colon})
		}
		cur.Reset()
		colon, started = -1, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQuote && c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\'):
			i++
			cur.WriteByte(line[i])
		case c == '"':
			inQuote = !inQuote
			started = true
		case !inQuote && (c == ' ' || c == '\t'):
			flush()
		case !inQuote && c == ':' && colon < 0:
			colon = cur.Len()
			cur.WriteByte(c)
			started = true
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if inQuote {
		return nil, usagef("unterminated quote in %q", line)
	}
	flush()
	return out, nil
}

// parseShellLine builds the interaction a command line stands for.
func (s *shellServer) parseShellLine(line string, cmds []*discordgo.ApplicationCommand) (*discordgo.Interaction, error) {
	toks, err := tokenize(line)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, usagef("empty command")
	}
	if !strings.HasPrefix(toks[0].text, "/") || toks[0].colon >= 0 {
		return nil, usagef("commands start with /, like /pulse or /stories (got %q); type help for the syntax", toks[0].text)
	}
	name := strings.ToLower(strings.TrimPrefix(toks[0].text, "/"))
	var cmd *discordgo.ApplicationCommand
	var all []string
	for _, c := range cmds {
		all = append(all, "/"+c.Name)
		if c.Name == name {
			cmd = c
		}
	}
	if cmd == nil {
		return nil, usagef("unknown command /%s; commands: %s", name, strings.Join(all, " "))
	}
	toks = toks[1:]
	path := "/" + cmd.Name
	defs := cmd.Options
	var sub *discordgo.ApplicationCommandOption
	if subs := subcommands(cmd.Options); len(subs) > 0 {
		if len(toks) == 0 || toks[0].colon >= 0 {
			return nil, usagef("/%s needs a subcommand: %s", cmd.Name, strings.Join(subs, ", "))
		}
		for _, o := range cmd.Options {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand && o.Name == strings.ToLower(toks[0].text) {
				sub = o
			}
		}
		if sub == nil {
			return nil, usagef("/%s has no subcommand %q; subcommands: %s", cmd.Name, toks[0].text, strings.Join(subs, ", "))
		}
		path += " " + sub.Name
		defs = sub.Options
		toks = toks[1:]
	}
	res := &discordgo.ApplicationCommandInteractionDataResolved{}
	var opts []*discordgo.ApplicationCommandInteractionDataOption
	seen := map[string]bool{}
	focused := false
	for _, t := range toks {
		if t.colon < 0 {
			return nil, usagef("%s: expected option:value, got %q (options: %s)", path, t.text, optionNames(defs))
		}
		oname, raw := strings.ToLower(t.text[:t.colon]), t.text[t.colon+1:]
		def := optionDef(defs, oname)
		if def == nil {
			return nil, usagef("%s has no option %q (options: %s)", path, oname, optionNames(defs))
		}
		if seen[oname] {
			return nil, usagef("%s: option %s given twice", path, oname)
		}
		seen[oname] = true
		o := &discordgo.ApplicationCommandInteractionDataOption{Name: def.Name, Type: def.Type}
		if def.Autocomplete && strings.HasSuffix(raw, "?") && !focused {
			// Discord sends what has been typed so far as a string,
			// whatever the option's type.
			o.Value, o.Focused, focused = strings.TrimSuffix(raw, "?"), true, true
			opts = append(opts, o)
			continue
		}
		v, err := s.optionValue(def, raw, res)
		if err != nil {
			return nil, usagef("%s %s: %v", path, def.Name, err)
		}
		o.Value = v
		opts = append(opts, o)
	}
	if !focused {
		var missing []string
		for _, d := range defs {
			if d.Required && !seen[d.Name] {
				missing = append(missing, d.Name+":…")
			}
		}
		if len(missing) > 0 {
			return nil, usagef("%s needs %s", path, strings.Join(missing, " and "))
		}
	}
	data := discordgo.ApplicationCommandInteractionData{
		ID: "shell-" + cmd.Name, Name: cmd.Name, CommandType: discordgo.ChatApplicationCommand,
		Options: opts, Resolved: res,
	}
	if sub != nil {
		data.Options = []*discordgo.ApplicationCommandInteractionDataOption{{Name: sub.Name, Type: sub.Type, Options: opts}}
	}
	s.seq++
	i := &discordgo.Interaction{
		ID: strconv.Itoa(1000 + s.seq), AppID: "shell", Token: "shell-token", Version: 1,
		Type: discordgo.InteractionApplicationCommand, Data: data, ChannelID: s.channelID, Locale: discordgo.EnglishUS,
	}
	if focused {
		i.Type = discordgo.InteractionApplicationCommandAutocomplete
	}
	user := &discordgo.User{ID: s.userID, Username: s.userName}
	if s.dm {
		i.User = user
		i.ChannelID = "900000000000000099"
	} else {
		i.GuildID = s.guildID
		i.Member = &discordgo.Member{User: user, GuildID: s.guildID, Permissions: s.perms}
	}
	return i, nil
}

// optionValue converts a typed value as Discord's JSON would carry it:
// numbers as float64, booleans, and channels and roles as ids with their
// resolved objects.
func (s *shellServer) optionValue(def *discordgo.ApplicationCommandOption, raw string, res *discordgo.ApplicationCommandInteractionDataResolved) (any, error) {
	switch def.Type {
	case discordgo.ApplicationCommandOptionString:
		return raw, nil
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", raw)
		}
		return float64(n), nil
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", raw)
		}
		return f, nil
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(raw) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", raw)
	case discordgo.ApplicationCommandOptionChannel:
		c, ok := s.find(s.channels, strings.TrimPrefix(raw, "#"))
		if !ok || s.dm {
			return nil, fmt.Errorf("no channel %q in this server (channels: %s)", raw, names(s.channels, "#"))
		}
		if res.Channels == nil {
			res.Channels = map[string]*discordgo.Channel{}
		}
		res.Channels[c.id] = &discordgo.Channel{ID: c.id, Name: c.name, Type: discordgo.ChannelTypeGuildText, GuildID: s.guildID}
		return c.id, nil
	case discordgo.ApplicationCommandOptionRole:
		r, ok := s.find(s.roles, strings.TrimPrefix(raw, "@"))
		if !ok || s.dm {
			return nil, fmt.Errorf("no role %q in this server (roles: %s)", raw, names(s.roles, "@"))
		}
		if res.Roles == nil {
			res.Roles = map[string]*discordgo.Role{}
		}
		res.Roles[r.id] = &discordgo.Role{ID: r.id, Name: r.name}
		return r.id, nil
	}
	return nil, fmt.Errorf("the shell cannot type options of type %d", def.Type)
}

func subcommands(opts []*discordgo.ApplicationCommandOption) []string {
	var out []string
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			out = append(out, o.Name)
		}
	}
	return out
}

func optionDef(defs []*discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
	for _, d := range defs {
		if d.Name == name && d.Type != discordgo.ApplicationCommandOptionSubCommand {
			return d
		}
	}
	return nil
}

func optionNames(defs []*discordgo.ApplicationCommandOption) string {
	var out []string
	for _, d := range defs {
		out = append(out, d.Name)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
