// SPDX-License-Identifier: Apache-2.0

extension ManagedProcess {
    /// Starts one of the Python scripts in `Tests/Fixtures`, unbuffered (its READY line and logs
    /// arrive as written) and without leaving bytecode beside the script.
    static func pythonFixture(_ script: String, arguments: [String], scratch: ScratchDirectory) throws
        -> ManagedProcess
    {
        try ManagedProcess(
            name: script,
            executable: try Fixtures.tool("python3"),
            arguments: [Fixtures.script(script).path] + arguments,
            environment: ["PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"],
            scratch: scratch
        )
    }
}
