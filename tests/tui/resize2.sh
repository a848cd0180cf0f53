#!/bin/sh
# Resizing never corrupts the screen (second half): storms ending at 120x40
# and 60x20, compared with fresh starts at those sizes. See resize.sh.
RESIZE_ENDS="120x40 60x20"
. "$KT_TOP_SRCDIR/tests/tui/resize.sh"
