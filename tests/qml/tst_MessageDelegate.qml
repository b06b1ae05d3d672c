import QtQuick
import QtTest
import Natter.Ui

// TestCase is an invisible Item: the components under test live on a visible stage.
Item {
    id: stage
    width: 600
    height: 400

    TestCase {
        id: testCase
        name: "MessageDelegate"
        when: windowShown

        Component {
            id: delegateComponent
            MessageDelegate {
                width: stage.width
            }
        }
        Component {
            id: spyComponent
            SignalSpy {}
        }

        // Every required role of MessageModel, as a row of the model would give it.
        function makeMessage(overrides) {
            const roles = {
                index: 0,
                messageId: "m1",
                clientId: "",
                senderName: "Bob",
                outgoing: false,
                kind: "text",
                text: "hello",
                stampId: "",
                latitude: 0,
                longitude: 0,
                createdAt: new Date(),
                statusName: "sent",
                failureReason: "",
                firstOfGroup: true,
                lastOfGroup: true,
                dayStart: false,
                isGroup: false
            }
            for (const key in overrides)
                roles[key] = overrides[key]
            const message = createTemporaryObject(delegateComponent, stage, roles)
            verify(message, "created with " + JSON.stringify(roles))
            return message
        }

        function child(message, name) {
            const item = findChild(message, name)
            verify(item, name)
            return item
        }

        function iconName(message) {
            const source = String(child(message, "statusIcon").source)
            return source.substring(source.lastIndexOf("/") + 1).replace(/\.svg$/, "")
        }

        function test_statusIcons_data() {
            return [
                { tag: "sending", status: "sending", icon: "clock" },
                { tag: "sent", status: "sent", icon: "check" },
                { tag: "delivered", status: "delivered", icon: "check-double" },
                { tag: "read", status: "read", icon: "check-double" },
                { tag: "failed", status: "failed", icon: "warning" }
            ]
        }

        function test_statusIcons(data) {
            const message = makeMessage({ outgoing: true, clientId: "c1", statusName: data.status })
            compare(message.statusIconName, data.icon)
            compare(iconName(message), data.icon)
            verify(child(message, "statusIcon").visible)
            compare(child(message, "failureRow").visible, data.status === "failed")
            compare(child(message, "retryButton").visible, data.status === "failed")
        }

        function test_readIsTintedDifferentlyFromDelivered() {
            const delivered = makeMessage({ outgoing: true, statusName: "delivered" })
            const read = makeMessage({ outgoing: true, statusName: "read" })
            const deliveredColor = String(child(delivered, "statusIcon").color)
            const readColor = String(child(read, "statusIcon").color)
            verify(deliveredColor !== readColor, deliveredColor + " vs " + readColor)
        }

        function test_failedIsRed() {
            const failed = makeMessage({ outgoing: true, statusName: "failed" })
            compare(String(child(failed, "statusIcon").color), String(Theme.danger))
        }

        function test_statusChangesUpdateTheIcon() {
            const message = makeMessage({ outgoing: true, clientId: "c1", statusName: "sending" })
            compare(iconName(message), "clock")
            message.statusName = "sent"
            compare(iconName(message), "check")
            message.statusName = "read"
            compare(iconName(message), "check-double")
        }

        function test_othersMessagesShowNoStatus() {
            const message = makeMessage({ outgoing: false, statusName: "delivered" })
            verify(!child(message, "statusIcon").visible)
        }

        function test_failedShowsReasonAndRetry() {
            const message = makeMessage({ outgoing: true, clientId: "c42", messageId: "", statusName: "failed",
                                          failureReason: "server unreachable" })
            verify(child(message, "failureRow").visible)
            verify(child(message, "failureLabel").text.indexOf("server unreachable") >= 0,
                   child(message, "failureLabel").text)
            const retry = child(message, "retryButton")
            verify(retry.visible)
            const spy = createTemporaryObject(spyComponent, testCase, { target: message, signalName: "retryRequested" })
            mouseClick(retry)
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "c42")
        }

        function test_failedWithoutReason() {
            const message = makeMessage({ outgoing: true, clientId: "c1", statusName: "failed" })
            verify(child(message, "failureLabel").text.length > 0)
            verify(child(message, "retryButton").visible)
        }

        function test_stampHasNoBubble() {
            const stamp = makeMessage({ kind: "stamp", stampId: "wave", text: "" })
            compare(child(stamp, "bubble").color.a, 0)
            const ownStamp = makeMessage({ kind: "stamp", stampId: "wave", text: "", outgoing: true })
            compare(child(ownStamp, "bubble").color.a, 0)
            const text = makeMessage({ kind: "text" })
            verify(child(text, "bubble").color.a > 0)
            const ownText = makeMessage({ kind: "text", outgoing: true })
            verify(child(ownText, "bubble").color.a > 0)
            verify(String(child(ownText, "bubble").color) !== String(child(text, "bubble").color))
        }

        function test_locationCard() {
            const message = makeMessage({ kind: "location", text: "", latitude: 48.137154, longitude: 11.576124 })
            verify(message.mapUrl().indexOf("48.137154") >= 0)
            verify(message.mapUrl().indexOf("11.576124") >= 0)
            verify(child(message, "bubble").color.a > 0)
        }

        function test_daySeparator_data() {
            const now = new Date()
            const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12, 0)
            const older = new Date(2024, 2, 15, 9, 30)
            return [
                { tag: "today", when: now, label: "Today" },
                { tag: "yesterday", when: yesterday, label: "Yesterday" },
                { tag: "older", when: older, label: older.toLocaleDateString(Qt.locale(), Locale.LongFormat) }
            ]
        }

        function test_daySeparator(data) {
            const message = makeMessage({ dayStart: true, createdAt: data.when })
            verify(child(message, "daySeparator").visible)
            verify(child(message, "daySeparator").height > 0)
            compare(child(message, "dayLabel").text, data.label)
        }

        function test_noSeparatorInsideADay() {
            const message = makeMessage({ dayStart: false })
            verify(!child(message, "daySeparator").visible)
            compare(child(message, "daySeparator").height, 0)
        }

        function test_senderLabel_data() {
            return [
                { tag: "group, first, others'", isGroup: true, first: true, outgoing: false, shown: true },
                { tag: "group, later, others'", isGroup: true, first: false, outgoing: false, shown: false },
                { tag: "group, first, own", isGroup: true, first: true, outgoing: true, shown: false },
                { tag: "direct, first, others'", isGroup: false, first: true, outgoing: false, shown: false }
            ]
        }

        function test_senderLabel(data) {
            const message = makeMessage({ isGroup: data.isGroup, firstOfGroup: data.first, outgoing: data.outgoing,
                                          senderName: "Carol" })
            const label = child(message, "senderLabel")
            compare(message.showSender, data.shown)
            compare(label.visible, data.shown)
            compare(label.text, "Carol")
        }

        function test_accessibleDescription() {
            const incoming = makeMessage({ senderName: "Bob", text: "hi there", statusName: "sent" })
            compare(incoming.description, "Bob: hi there")
            const failed = makeMessage({ outgoing: true, text: "lost", statusName: "failed" })
            compare(failed.description, "You: lost, not sent")
            const stamp = makeMessage({ outgoing: true, kind: "stamp", text: "", statusName: "read" })
            compare(stamp.description, "You: stamp, read")
        }

        function test_groupsAreTighterThanTheirEnd() {
            const inside = makeMessage({ lastOfGroup: false })
            const last = makeMessage({ lastOfGroup: true })
            verify(last.implicitHeight > inside.implicitHeight)
        }
    }
}
