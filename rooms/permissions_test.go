package rooms

import "testing"

// TestPermissionTable checks every (role, action) pair against the table
// as docs/permissions.md states it.
func TestPermissionTable(t *testing.T) {
	all := []Action{ActDraw, ActEditAnyStroke, ActRaiseHand, ActChat, ActAnswerPoll, ActModerate,
		ActMute, ActLockBoard, ActLockChat, ActShareScreen, ActOpenPoll, ActRemove, ActEndSession,
		ActWriteWhenLock, ActSeeCursors, ActSeeBallots}
	want := map[Role]map[Action]bool{
		RoleTeacher: {ActDraw: true, ActEditAnyStroke: true, ActRaiseHand: true, ActChat: true,
			ActModerate: true, ActMute: true, ActLockBoard: true, ActLockChat: true, ActShareScreen: true,
			ActOpenPoll: true, ActRemove: true, ActEndSession: true, ActWriteWhenLock: true,
			ActSeeCursors: true, ActSeeBallots: true},
		RoleModerator: {ActDraw: true, ActEditAnyStroke: true, ActRaiseHand: true, ActChat: true,
			ActModerate: true, ActMute: true, ActLockBoard: true, ActLockChat: true,
			ActOpenPoll: true, ActRemove: true, ActWriteWhenLock: true, ActSeeCursors: true, ActSeeBallots: true},
		RoleStudent:  {ActDraw: true, ActRaiseHand: true, ActChat: true, ActAnswerPoll: true},
		RoleObserver: {},
	}
	for role, allowed := range want {
		for _, a := range all {
			if got := Allowed(role, a); got != allowed[a] {
				t.Errorf("Allowed(%s, %s) = %v, want %v", role, a, got, allowed[a])
			}
		}
	}
	if Allowed("admin", ActEndSession) {
		t.Error("an unknown role may act")
	}
}

func TestRank(t *testing.T) {
	if Rank(RoleTeacher) <= Rank(RoleModerator) || Rank(RoleStudent) <= Rank(RoleObserver) || Rank("x") != 0 {
		t.Error("ranks out of order")
	}
}
