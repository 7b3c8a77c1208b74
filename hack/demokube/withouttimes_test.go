package main

import "testing"

func TestWithoutTimes(t *testing.T) {
	a := "NAME   MODE      LAST SYNC   IN FLIGHT   AGE\ndemo   Enforce   1s          279         1s"
	b := "NAME   MODE      LAST SYNC   IN FLIGHT   AGE\ndemo   Enforce   9s          279         2m"
	c := "NAME   MODE      LAST SYNC   IN FLIGHT   AGE\ndemo   Enforce   9s          0           2m"
	if withoutTimes(a) != withoutTimes(b) {
		t.Errorf("only times differ, yet\n%q\n%q", withoutTimes(a), withoutTimes(b))
	}
	if withoutTimes(b) == withoutTimes(c) {
		t.Errorf("a changed count is lost: %q", withoutTimes(c))
	}
}
