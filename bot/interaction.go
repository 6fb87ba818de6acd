package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// ErrMalformed is returned by FromDiscord for interactions that can't be
// answered: transports refuse them cleanly instead of guessing.
var ErrMalformed = errors.New("bot: malformed interaction")

// FromDiscord flattens a received interaction. Subcommand groups and
// subcommands become part of Command ("alerts add"); options become typed
// values; channel and role names come from the resolved data.
func FromDiscord(i *discordgo.Interaction) (*Interaction, error) {
	if i == nil {
		return nil, fmt.Errorf("%w: empty", ErrMalformed)
	}
	in := &Interaction{
		ID: i.ID, Token: i.Token, AppID: i.AppID, GuildID: i.GuildID, ChannelID: i.ChannelID,
		Locale: string(i.Locale), Options: map[string]Option{}, Raw: i,
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		in.Kind = KindCommand
	case discordgo.InteractionApplicationCommandAutocomplete:
		in.Kind = KindAutocomplete
	default:
		return nil, fmt.Errorf("%w: unsupported type %d", ErrMalformed, i.Type)
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		in.UserID, in.UserName = i.Member.User.ID, displayName(i.Member.User)
		in.Permissions = i.Member.Permissions
	case i.User != nil:
		in.UserID, in.UserName = i.User.ID, displayName(i.User)
	default:
		return nil, fmt.Errorf("%w: no user", ErrMalformed)
	}
	if i.Member != nil && i.GuildID == "" {
		return nil, fmt.Errorf("%w: member without guild", ErrMalformed)
	}
	if i.ID == "" || i.Token == "" {
		return nil, fmt.Errorf("%w: missing id or token", ErrMalformed)
	}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok || data.Name == "" {
		return nil, fmt.Errorf("%w: no command data", ErrMalformed)
	}
	path := []string{data.Name}
	opts := data.Options
	// Descend through at most a subcommand group and a subcommand.
	for depth := 0; depth < 2 && len(opts) == 1; depth++ {
		o := opts[0]
		if o.Type != discordgo.ApplicationCommandOptionSubCommandGroup && o.Type != discordgo.ApplicationCommandOptionSubCommand {
			break
		}
		path = append(path, o.Name)
		opts = o.Options
	}
	in.Command = strings.Join(path, " ")
	for _, o := range opts {
		v, err := optionValue(o, data.Resolved)
		if err != nil {
			return nil, fmt.Errorf("%w: option %s: %v", ErrMalformed, o.Name, err)
		}
		in.Options[o.Name] = v
		if o.Focused {
			in.Focused = o.Name
		}
	}
	return in, nil
}

func optionValue(o *discordgo.ApplicationCommandInteractionDataOption, res *discordgo.ApplicationCommandInteractionDataResolved) (Option, error) {
	v := Option{Type: o.Type}
	switch o.Type {
	case discordgo.ApplicationCommandOptionString:
		s, ok := o.Value.(string)
		if !ok {
			return v, fmt.Errorf("not a string")
		}
		v.Str = s
	case discordgo.ApplicationCommandOptionInteger:
		switch x := o.Value.(type) {
		case float64:
			if x != float64(int64(x)) {
				return v, fmt.Errorf("not an integer")
			}
			v.Int = int64(x)
		case string: // autocomplete sends what the user typed so far
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil && x != "" {
				v.Str = x
			}
			v.Int = n
		default:
			return v, fmt.Errorf("not an integer")
		}
	case discordgo.ApplicationCommandOptionNumber:
		switch x := o.Value.(type) {
		case float64:
			v.Num = x
		case string:
			n, err := strconv.ParseFloat(x, 64)
			if err != nil && x != "" {
				v.Str = x
			}
			v.Num = n
		default:
			return v, fmt.Errorf("not a number")
		}
	case discordgo.ApplicationCommandOptionBoolean:
		b, ok := o.Value.(bool)
		if !ok {
			return v, fmt.Errorf("not a boolean")
		}
		v.Bool = b
	case discordgo.ApplicationCommandOptionChannel, discordgo.ApplicationCommandOptionRole,
		discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionMentionable:
		id, ok := o.Value.(string)
		if !ok || id == "" {
			return v, fmt.Errorf("not an id")
		}
		v.Str = id
		if res != nil {
			if c, ok := res.Channels[id]; ok && c != nil {
				v.Label = c.Name
			}
			if r, ok := res.Roles[id]; ok && r != nil {
				v.Label = r.Name
			}
		}
	default:
		return v, fmt.Errorf("unsupported option type %d", o.Type)
	}
	return v, nil
}

func displayName(u *discordgo.User) string {
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// Str returns a string option, "" when absent.
func (in *Interaction) Str(name string) string { return in.Options[name].Str }

// Has reports whether an option was given.
func (in *Interaction) Has(name string) bool {
	_, ok := in.Options[name]
	return ok
}
