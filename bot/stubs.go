package bot

import "context"

func (b *Bot) notYet(ctx context.Context, in *Interaction) (Reply, error) {
	return Reply{}, Userf("/%s is not ready yet.", in.Command)
}

func (b *Bot) pulse(ctx context.Context, in *Interaction) (Reply, error)    { return b.notYet(ctx, in) }
func (b *Bot) stories(ctx context.Context, in *Interaction) (Reply, error)  { return b.notYet(ctx, in) }
func (b *Bot) alertAdd(ctx context.Context, in *Interaction) (Reply, error) { return b.notYet(ctx, in) }
func (b *Bot) alertPulse(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) alertList(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) alertRemove(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) follow(ctx context.Context, in *Interaction) (Reply, error)   { return b.notYet(ctx, in) }
func (b *Bot) unfollow(ctx context.Context, in *Interaction) (Reply, error) { return b.notYet(ctx, in) }
func (b *Bot) following(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) digestSet(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) digestOff(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) digestPreview(ctx context.Context, in *Interaction) (Reply, error) {
	return b.notYet(ctx, in)
}
func (b *Bot) status(ctx context.Context, in *Interaction) (Reply, error)       { return b.notYet(ctx, in) }
func (b *Bot) help(ctx context.Context, in *Interaction) (Reply, error)         { return b.notYet(ctx, in) }
func (b *Bot) completeCoin(ctx context.Context, in *Interaction) (Reply, error) { return Reply{}, nil }
func (b *Bot) completeAlertID(ctx context.Context, in *Interaction) (Reply, error) {
	return Reply{}, nil
}
func (b *Bot) completeFollowID(ctx context.Context, in *Interaction) (Reply, error) {
	return Reply{}, nil
}
func (b *Bot) completeTimezone(ctx context.Context, in *Interaction) (Reply, error) {
	return Reply{}, nil
}
