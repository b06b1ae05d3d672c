import QtQuick
import QtTest
import Natter.Ui

// TestCase is an invisible Item: the components under test live on a visible stage.
Item {
    id: stage
    width: 480
    height: 200

    TestCase {
        id: testCase
        name: "ComposerBar"
        when: windowShown

        Component {
            id: composerComponent
            ComposerBar {
                width: stage.width
                // What it says while being created, before any SignalSpy can listen.
                onDraftChanged: (key, text) => testCase.events.push("draft " + key + " " + text)
                onTyping: (active) => testCase.events.push("typing " + active)
            }
        }
        Component {
            id: spyComponent
            SignalSpy {}
        }

        property var composer
        property var input
        property var sendButton
        property var sendSpy
        property var typingSpy
        property var draftSpy
        property var events: []

        function makeComposer(properties) {
            events = []
            composer = createTemporaryObject(composerComponent, stage, properties || {})
            verify(composer)
            input = findChild(composer, "composerInput")
            sendButton = findChild(composer, "sendButton")
            verify(input)
            verify(sendButton)
            sendSpy = createTemporaryObject(spyComponent, testCase, { target: composer, signalName: "sendText" })
            typingSpy = createTemporaryObject(spyComponent, testCase, { target: composer, signalName: "typing" })
            draftSpy = createTemporaryObject(spyComponent, testCase, { target: composer, signalName: "draftChanged" })
            composer.focusInput()
            tryVerify(() => input.activeFocus)
        }

        function typeText(text) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }

        function init() {
            makeComposer({ roomKey: "room-a" })
        }

        function test_enterSendsTrimmedTextAndClears() {
            typeText("  hello there  ")
            compare(composer.text, "  hello there  ")
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "hello there")
            compare(composer.text, "")
            compare(input.text, "")
        }

        function test_keypadEnterSends() {
            typeText("hi")
            keyClick(Qt.Key_Enter, Qt.KeypadModifier)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "hi")
        }

        function test_shiftEnterInsertsNewlineWithoutSending() {
            typeText("first")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            typeText("second")
            compare(sendSpy.count, 0)
            verify(composer.text.startsWith("first"))
            verify(composer.text.endsWith("second"))
            compare(composer.text.length, "first".length + 1 + "second".length)
            // Whatever separator the text area inserts, a newline is what gets sent.
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "first\nsecond")
        }

        function test_whitespaceOnlyDoesNotSend() {
            typeText("   ")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            compare(composer.canSend, false)
            compare(sendButton.enabled, false)
            keyClick(Qt.Key_Return)
            mouseClick(sendButton)
            compare(sendSpy.count, 0)
        }

        function test_sendButtonEnabledOnlyWithText() {
            compare(sendButton.enabled, false)
            typeText("x")
            compare(sendButton.enabled, true)
            keyClick(Qt.Key_Backspace)
            compare(sendButton.enabled, false)
        }

        function test_sendButtonSends() {
            typeText("by mouse ")
            mouseClick(sendButton)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "by mouse")
            compare(composer.text, "")
            compare(sendButton.enabled, false)
        }

        function test_typingStartsOnceWithinRefreshInterval() {
            composer.typingRefreshMs = 60000
            typeText("a")
            compare(typingSpy.count, 1)
            compare(typingSpy.signalArguments[0][0], true)
            typeText("bcdef")
            compare(typingSpy.count, 1)
        }

        function test_typingRepeatsAfterRefreshInterval() {
            // A zero interval: every edit is "later than the refresh interval".
            composer.typingRefreshMs = 0
            typeText("abc")
            compare(typingSpy.count, 3)
            for (let i = 0; i < 3; ++i)
                compare(typingSpy.signalArguments[i][0], true)
        }

        function test_typingStopsWhenCleared() {
            typeText("ab")
            compare(typingSpy.count, 1)
            keyClick(Qt.Key_Backspace)
            compare(typingSpy.count, 1)
            keyClick(Qt.Key_Backspace)
            compare(typingSpy.count, 2)
            compare(typingSpy.signalArguments[1][0], false)
            // Deleting in an empty field says nothing more.
            keyClick(Qt.Key_Backspace)
            compare(typingSpy.count, 2)
        }

        function test_typingStopsWhenSent() {
            typeText("hello")
            keyClick(Qt.Key_Return)
            compare(typingSpy.count, 2)
            compare(typingSpy.signalArguments[0][0], true)
            compare(typingSpy.signalArguments[1][0], false)
            compare(sendSpy.count, 1)
        }

        function test_sendingClearsTheDraft() {
            typeText("hello")
            keyClick(Qt.Key_Return)
            compare(draftSpy.count, 1)
            compare(draftSpy.signalArguments[0][0], "room-a")
            compare(draftSpy.signalArguments[0][1], "")
        }

        function test_switchingRoomSavesAndLoadsDrafts() {
            const drafts = { "room-b": "draft of b" }
            const requested = []
            composer.loadDraft = function(key) { requested.push(key); return drafts[key] || "" }
            typeText("unsent in a")
            compare(typingSpy.count, 1)

            composer.roomKey = "room-b"
            compare(draftSpy.count, 1)
            compare(draftSpy.signalArguments[0][0], "room-a")
            compare(draftSpy.signalArguments[0][1], "unsent in a")
            compare(requested, ["room-b"])
            compare(composer.text, "draft of b")
            // Leaving the room ends typing there; loading b's draft is not typing.
            compare(typingSpy.count, 2)
            compare(typingSpy.signalArguments[1][0], false)
            // New text goes at the end of the draft.
            typeText("!")
            compare(composer.text, "draft of b!")
            compare(typingSpy.count, 3)
            compare(typingSpy.signalArguments[2][0], true)

            composer.roomKey = "room-c"
            compare(draftSpy.count, 2)
            compare(draftSpy.signalArguments[1][0], "room-b")
            compare(draftSpy.signalArguments[1][1], "draft of b!")
            compare(composer.text, "")
        }

        function test_draftGivenAtCreationIsLoadedAndKept() {
            const drafts = { "room-x": "kept draft" }
            makeComposer({ roomKey: "room-x", loadDraft: (key) => drafts[key] || "" })
            compare(composer.text, "kept draft")
            // Saying draftChanged(room-x, "") here would erase the saved draft.
            compare(events, [])
            verify(composer.canSend)
        }

        function test_settingTheSameRoomAgainChangesNothing() {
            typeText("text")
            composer.roomKey = "room-a"
            compare(draftSpy.count, 0)
            compare(composer.text, "text")
        }
    }
}
