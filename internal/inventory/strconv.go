package inventory

import "strconv"

func itoa(n int32) string { return strconv.FormatInt(int64(n), 10) }
