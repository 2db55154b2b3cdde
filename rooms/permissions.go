package rooms

import (
	"slices"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Role is what a participant may do in a session; the enrollment (or, for
// a guest, the invitation) decides it, never the client. It is the
// catalog's role.
type Role = catalog.Role

// Roles, from most to least privileged.
const (
	RoleTeacher   = catalog.RoleTeacher
	RoleModerator = catalog.RoleModerator
	RoleStudent   = catalog.RoleStudent
	RoleObserver  = catalog.RoleObserver
)

// Action is something a participant asks the session to do.
type Action string

// Actions checked against the permission table. Document writes are
// checked per section and key as well (see docs/permissions.md); the
// actions here are the coarse gate.
const (
	ActDraw          Action = "draw"         // write board objects (own ones, for students)
	ActEditAnyStroke Action = "edit_any"     // change or delete anyone's board objects
	ActRaiseHand     Action = "raise_hand"   // raise and lower one's own hand
	ActChat          Action = "chat"         // send chat messages
	ActAnswerPoll    Action = "answer_poll"  // answer polls and quizzes
	ActModerate      Action = "moderate"     // delete a chat message, clear the board, lower someone's hand
	ActMute          Action = "mute"         // stop a participant from chatting
	ActLockBoard     Action = "lock_board"   // lock and unlock the board for students
	ActLockChat      Action = "lock_chat"    // lock and unlock chat
	ActShareScreen   Action = "share_screen" // grant and revoke screen sharing
	ActOpenPoll      Action = "open_poll"    // open, close and publish polls
	ActRemove        Action = "remove"       // remove a participant from the session
	ActEndSession    Action = "end_session"  // end the session for everyone
	ActWriteWhenLock Action = "write_locked" // draw while the board is locked
	ActSeeCursors    Action = "see_cursors"  // see other participants' cursors when students may not
	ActSeeBallots    Action = "see_ballots"  // see who answered what in a non-anonymous poll
	ActSwitchVideo   Action = "switch_video" // send everyone to the video's fallback link
)

// permissions is the one table of who may do what. Read it row by row:
// every privileged action is listed against the roles that may take it.
var permissions = map[Role][]Action{
	RoleTeacher: {
		ActDraw, ActEditAnyStroke, ActRaiseHand, ActChat, ActModerate, ActMute,
		ActLockBoard, ActLockChat, ActShareScreen, ActOpenPoll, ActRemove,
		ActEndSession, ActWriteWhenLock, ActSeeCursors, ActSeeBallots, ActSwitchVideo,
	},
	RoleModerator: {
		ActDraw, ActEditAnyStroke, ActRaiseHand, ActChat, ActModerate, ActMute,
		ActLockBoard, ActLockChat, ActOpenPoll, ActRemove, ActWriteWhenLock,
		ActSeeCursors, ActSeeBallots, ActSwitchVideo,
	},
	RoleStudent: {
		ActDraw, ActRaiseHand, ActChat, ActAnswerPoll,
	},
	RoleObserver: {},
}

// Allowed reports whether role may take action.
func Allowed(role Role, action Action) bool {
	return slices.Contains(permissions[role], action)
}

// Rank orders roles by privilege (higher is more); unknown roles rank 0.
func Rank(r Role) int {
	switch r {
	case RoleTeacher:
		return 4
	case RoleModerator:
		return 3
	case RoleStudent:
		return 2
	case RoleObserver:
		return 1
	}
	return 0
}
