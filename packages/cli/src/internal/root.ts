// What every command module needs from the command tree without importing the tree itself (commands.ts lists the
// commands of every module, so a module importing it would be a cycle): the program name, the root command whose
// flags are the global ones given before the command name, and `define`, which adds the global flags to a command.
import { Command } from "@effect/cli"
import type { FileSystem, HttpClient } from "@effect/platform"
import * as Flags from "./flags.js"
import type { Io } from "./Io.js"
import * as Spec from "./spec.js"

/** The program name, as users type it. @internal */
export const NAME = "infernet-client"

/** What every command handler needs from its environment. @internal */
export type Env = Io | FileSystem.FileSystem | HttpClient.HttpClient

/** The root command: the global flags given before the command name. @internal */
export const root = Command.make(NAME, Flags.globalOptions)

/** Defines a command: every command also takes the global flags. @internal */
export const define = Spec.define(Flags.global)
