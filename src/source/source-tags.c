/* source-tags.c: the messages of an annotated tag chain (a tag of a tag ...). */
#include <string.h>

#include "repoguard/source.h"

#define TAG_MAX_DEPTH 64 /* a chain deeper than this is no honest tag */

int rg_tag_messages(git_repository *repo, const git_oid *id, rg_tag_message_cb cb, void *payload)
{
	git_object *obj = NULL;
	int r = 0, depth = 0;

	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0)
		obj = NULL; /* missing: whoever reads the target reports it */
	git_error_clear();
	while (r >= 0 && obj && git_object_type(obj) == GIT_OBJECT_TAG && depth++ < TAG_MAX_DEPTH) {
		const char *msg = git_tag_message((git_tag *)obj);
		git_object *next = NULL;

		r = cb(msg ? msg : "", payload);
		if (git_tag_target(&next, (git_tag *)obj) < 0)
			next = NULL;
		git_error_clear();
		git_object_free(obj);
		obj = next;
	}
	git_object_free(obj);
	return r < 0 ? r : 0;
}
