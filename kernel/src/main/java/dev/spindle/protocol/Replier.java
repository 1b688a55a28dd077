package dev.spindle.protocol;

import com.google.gson.JsonObject;

/** Sends replies on the channel a request came in on, from the thread that owns it. */
@FunctionalInterface
interface Replier {
    void reply(Message request, String type, JsonObject content);
}
