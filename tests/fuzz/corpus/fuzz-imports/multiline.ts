import {
 a,
 b } from
 "./m"
import x = require("./eq")
