package scenes

// Transport is what the playback keys (play, step, back, speed, restart)
// act on in the current scene.
type Transport interface {
	Paused() bool
	SetPaused(bool)
	Step()
	StepBack()
	Slower()
	Faster()
	Restart()
	// Label says where playback stands, for the screen: "playing 0.25×".
	Label() string
}

// Playable is what playback controls drive: a player, or a duel's.
type Playable interface {
	Paused() bool
	SetPaused(bool)
	Forward()
	StepBack(n int)
	Slower()
	Faster()
	Restart()
	Finished() bool
	SpeedLabel() string
}

// PlayerControls is the Transport of a player: a scene keeps one and
// points it at its current player, so asking for the transport every frame
// costs nothing. Seeked runs after every jump back in time, so that views
// built from events start over.
type PlayerControls struct {
	Player Playable
	Seeked func()
}

func (t *PlayerControls) Paused() bool     { return t.Player.Paused() }
func (t *PlayerControls) SetPaused(b bool) { t.Player.SetPaused(b) }
func (t *PlayerControls) Step()            { t.Player.Forward() }
func (t *PlayerControls) Slower()          { t.Player.Slower() }
func (t *PlayerControls) Faster()          { t.Player.Faster() }

func (t *PlayerControls) StepBack() {
	t.Player.StepBack(1)
	t.Seeked()
}

func (t *PlayerControls) Restart() {
	t.Player.Restart()
	t.Player.SetPaused(false)
	t.Seeked()
}

func (t *PlayerControls) Label() string {
	switch {
	case t.Player.Finished():
		return "finished"
	case t.Player.Paused():
		return "paused"
	}
	return "playing " + t.Player.SpeedLabel()
}
