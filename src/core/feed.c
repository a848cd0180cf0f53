/* feed: names for the status bar. */
#include "core/feed.h"

const char *feed_name(enum feed_id f)
{
	switch (f) {
	case FEED_SPOT_PUBLIC: return "spot";
	case FEED_SPOT_PRIVATE: return "spot-auth";
	case FEED_FUT_PUBLIC: return "fut";
	case FEED_FUT_PRIVATE: return "fut-auth";
	case FEED_COUNT: break;
	}
	return "?";
}

const char *feed_state_name(enum feed_state s)
{
	switch (s) {
	case FEED_OFF: return "off";
	case FEED_CONNECTING: return "connecting";
	case FEED_AUTHENTICATING: return "auth";
	case FEED_UP: return "up";
	case FEED_BACKOFF: return "retry";
	case FEED_FAILED: return "failed";
	}
	return "?";
}
