package bot

import "github.com/bwmarrin/discordgo"

// AllowedMentions is what every message pulsebot sends carries: nothing
// parsed from the text, ever. Feed text is untrusted ("@everyone" in a
// headline must not ping), and discordgo's zero value sends null, which
// Discord reads as "parse everything"; so the empty list is explicit. Only
// roles an admin configured (a digest's role) may be listed.
func AllowedMentions(roles []string) *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: roles}
}

// ResponseData renders a reply as an interaction response.
func (r Reply) ResponseData() *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Files:           r.Files,
		AllowedMentions: AllowedMentions(r.MentionRoles),
		Choices:         r.Choices,
	}
	if r.Ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// WebhookEdit renders a reply as the edit of a deferred response.
func (r Reply) WebhookEdit() *discordgo.WebhookEdit {
	content := r.Content
	embeds := r.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Files:           r.Files,
		AllowedMentions: AllowedMentions(r.MentionRoles),
	}
}
