package catalog

import "fmt"

// Video providers. Homeroom links to the provider; it does not carry video.
const (
	ProviderZoom  = "zoom"
	ProviderTeams = "teams"
	ProviderJitsi = "jitsi"
	ProviderOther = "other"
)

// Video is where a session's audio and video happen. The zero value means
// no video; once any URL is set, Provider and JoinURL are required.
type Video struct {
	// Provider is zoom, teams, jitsi or other.
	Provider string `json:"provider"`
	// JoinURL is the meeting link participants open.
	JoinURL string `json:"join_url"`
	// FallbackURL is offered when JoinURL fails (e.g. a dial-in page or a
	// Jitsi room when Zoom is blocked).
	FallbackURL string `json:"fallback_url"`
	// RecordingURL is where the recording is, once there is one.
	RecordingURL string `json:"recording_url"`
}

// Validate reports the first field that is not acceptable. URLs must be
// absolute http or https URLs of at most 2048 bytes.
func (v Video) Validate() error {
	switch v.Provider {
	case "":
		if v.JoinURL != "" || v.FallbackURL != "" || v.RecordingURL != "" {
			return invalid("video.provider", "is required when a video URL is set")
		}
		return nil
	case ProviderZoom, ProviderTeams, ProviderJitsi, ProviderOther:
	default:
		return invalid("video.provider", fmt.Sprintf("%q is not one of zoom, teams, jitsi, other", v.Provider))
	}
	if v.JoinURL == "" {
		return invalid("video.join_url", "is required when provider is set")
	}
	if err := checkURL("video.join_url", v.JoinURL); err != nil {
		return err
	}
	if err := checkURL("video.fallback_url", v.FallbackURL); err != nil {
		return err
	}
	return checkURL("video.recording_url", v.RecordingURL)
}
